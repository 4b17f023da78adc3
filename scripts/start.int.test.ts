import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const start = fileURLToPath(new URL("./start.mjs", import.meta.url));

async function npmStart(env: Record<string, string>) {
  try {
    await promisify(execFile)(process.execPath, [start], {
      env: { PATH: process.env.PATH, NO_COLOR: "1", ...env },
      timeout: 60_000,
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm start", () => {
  it("stops with one clear line when DATABASE_URL points at a closed port", async () => {
    const result = await npmStart({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/aiaas",
      CONSOLE_PORT: "3290",
      GATEWAY_PORT: "3291",
      WORKER_PORT: "3292",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "✗ cannot reach Postgres at 127.0.0.1:1 (from DATABASE_URL): nothing is listening there\n",
    );
  });

  it("names a port that is taken and the variable that moves it", async () => {
    const result = await npmStart({ CONSOLE_PORT: "not-a-port" });
    expect(result).toMatchObject({ code: 1, stderr: "✗ CONSOLE_PORT must be a port number (1-65535)\n" });
  });
});
