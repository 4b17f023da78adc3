import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { isListening } from "./net.mjs";

const postgresModule = new URL("./postgres.mjs", import.meta.url).href;
const created: string[] = [];

/** The database URL resolvePostgres picks, run as npm start and npm test run it (a process of their own). */
async function resolved(env: Record<string, string>, options: { database: string; suffix: string }) {
  const script = `import(${JSON.stringify(postgresModule)}).then(async (m) => {
    const { url } = await m.resolvePostgres(${JSON.stringify(options)});
    console.log(JSON.stringify(url));
  });`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, NO_COLOR: "1", ...env },
    timeout: 30_000,
  });
  const url = JSON.parse(stdout.trim().split("\n").pop() ?? "") as string;
  created.push(url);
  return new URL(url).pathname.slice(1);
}

const localPostgres = await isListening("127.0.0.1", 5432);

afterEach(async () => {
  for (const url of created.splice(0)) {
    const client = new pg.Client({
      connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString(),
    });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    await client.end();
  }
});

describe("resolvePostgres", () => {
  it("adds the suffix to DATABASE_URL's database", async () => {
    const name = `aiaas_probe_${randomBytes(3).toString("hex")}`;
    // The server as its owner configures it (npm test gives the apps a login of their own, which may not create databases).
    const server = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL ?? "";
    const configured = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
    expect(await resolved({ DATABASE_URL: configured }, { database: "unused", suffix: "_t" })).toBe(`${name}_t`);
  });

  it.runIf(localPostgres)(
    "adds the suffix to the database it names on a local Postgres, so npm test never recreates npm start's",
    async () => {
      const name = `aiaas_probe_${randomBytes(3).toString("hex")}`;
      expect(await resolved({}, { database: name, suffix: "_t" })).toBe(`${name}_t`);
    },
  );
});
