import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { findBrokenAuditLink } from "@aiaas/core/server";
import { testDb, testPepper } from "@aiaas/core/testing";
import { testDatabaseUrl } from "@aiaas/db/testing";

const db = testDb();
afterAll(() => db.$disconnect());

const main = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Runs the real CLI in a child process against the test database. */
async function aiaas(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", main, ...args], {
      env: {
        PATH: process.env.PATH,
        AIAAS_ENV_FILE: "/nonexistent",
        DATABASE_URL: testDatabaseUrl(),
        API_KEY_PEPPER: testPepper,
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const slug = () => `cli-${randomBytes(4).toString("hex")}`;

describe("aiaas CLI", () => {
  it("creates, lists, suspends and resumes tenants, auditing each change", async () => {
    const name = slug();
    const created = await aiaas(["tenants", "create", "--name", "CLI Test", "--slug", name, "--json"]);
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.stdout) as { id: string; slug: string; status: string };
    expect(tenant).toMatchObject({ slug: name, status: "active" });

    const listed = JSON.parse((await aiaas(["tenants", "list", "--json"])).stdout) as { slug: string; plan: string }[];
    expect(listed.find((row) => row.slug === name)).toMatchObject({ plan: "free" });

    expect((await aiaas(["tenants", "suspend", name, "--reason", "unpaid", "--json"])).code).toBe(0);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("suspended");
    const again = await aiaas(["tenants", "suspend", name]);
    expect(again).toMatchObject({ code: 1, stderr: `aiaas: tenant "${name}" is already suspended\n` });
    expect((await aiaas(["tenants", "resume", name])).stdout).toBe(`Tenant ${name} is now active.\n`);

    const actions = await db.auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { seq: "asc" } });
    expect(actions.map((event) => event.action)).toEqual(["tenant.create", "tenant.suspend", "tenant.resume"]);
    expect(actions.every((event) => event.actorType === "operator")).toBe(true);
    expect(await findBrokenAuditLink(tenant.id, db)).toBeNull();
  });

  it("creates a key printed once, lists it masked, and revokes it", async () => {
    const name = slug();
    await aiaas(["tenants", "create", "--name", "Keys", "--slug", name]);
    const created = await aiaas([
      "keys",
      "create",
      "--tenant",
      name,
      "--name",
      "ci",
      "--scopes",
      "chat:write,embeddings:write",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const { id, secret } = JSON.parse(created.stdout) as { id: string; secret: string };
    expect(secret).toMatch(/^aiaas_live_/);

    const listed = await aiaas(["keys", "list", "--tenant", name]);
    expect(listed.stdout).toContain(`${secret.slice(0, 15)}…${secret.slice(-4)}`);
    expect(listed.stdout).not.toContain(secret);

    expect((await aiaas(["keys", "revoke", id, "--tenant", name])).stdout).toBe(`Revoked ${id}.\n`);
    const [key] = JSON.parse((await aiaas(["keys", "list", "--tenant", name, "--json"])).stdout) as {
      status: string;
    }[];
    expect(key?.status).toBe("revoked");
  });

  it.each([
    [["tenants", "create", "--name", "Bad", "--slug", "Bad Slug"], 2, /^aiaas: slug: slug must be 3-40 characters/],
    [["keys", "list", "--tenant", "no-such-tenant"], 1, /^aiaas: tenant "no-such-tenant" not found\n$/],
    [
      ["keys", "create", "--tenant", "no-such-tenant", "--scopes", "root"],
      1,
      /^aiaas: tenant "no-such-tenant" not found/,
    ],
    [["keys", "create", "--tenant", "x", "--expires", "soon"], 2, /^aiaas: --expires: "soon" is not a date/],
    [["tenants", "frobnicate"], 1, /unknown command 'frobnicate'/],
  ])("explains %j clearly (exit %i)", async (args, code, message) => {
    const result = await aiaas(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it("names a bad scope", async () => {
    const name = slug();
    await aiaas(["tenants", "create", "--name", "Scopes", "--slug", name]);
    const result = await aiaas(["keys", "create", "--tenant", name, "--scopes", "root"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^aiaas: scopes\.0: Invalid option: expected one of "models:read"\|/);
  });

  it("refuses to run without a valid DATABASE_URL, in one line", async () => {
    const result = await aiaas(["tenants", "list"], { DATABASE_URL: "mysql://nope" });
    expect(result).toMatchObject({
      code: 1,
      stderr: "[aiaas] invalid environment: DATABASE_URL: expected a postgresql:// URL\n",
    });
  });

  it.each([
    [
      ["tenants", "list"],
      "postgresql://postgres@127.0.0.1:1/none",
      "the database at 127.0.0.1:1: cannot reach the server",
    ],
    [
      ["migrate"],
      "postgresql://postgres@127.0.0.1:1/none",
      "the database at 127.0.0.1:1: cannot reach the server (ECONNREFUSED)",
    ],
  ])("says when the database cannot be reached (%j)", async (args, databaseUrl, message) => {
    const result = await aiaas(args, { DATABASE_URL: databaseUrl });
    expect(result).toMatchObject({ code: 1, stderr: `aiaas: ${message}\n` });
  });
});
