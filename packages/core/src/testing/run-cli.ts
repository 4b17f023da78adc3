import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { testPepper } from "./fixtures.ts";
import { testRedisUrl } from "./test-redis-url.ts";
import { testDatabaseUrl } from "@aiaas/db/testing";

/** What `npm run aiaas` runs: the CLI bundled from its sources, then started. */
const launcher = fileURLToPath(new URL("../../../../scripts/aiaas.mjs", import.meta.url));

/** Runs the real CLI in a child process against the test database. */
export async function aiaas(args: string[], env: Record<string, string | undefined> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [launcher, ...args], {
      env: {
        PATH: process.env.PATH,
        AIAAS_ENV_FILE: "/nonexistent",
        DATABASE_URL: testDatabaseUrl(),
        REDIS_URL: testRedisUrl(),
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
