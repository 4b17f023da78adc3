import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const script = new URL("./check-lockfile.mjs", import.meta.url).pathname;

async function check(packages: Record<string, unknown>) {
  const file = join(mkdtempSync(join(tmpdir(), "lock-")), "package-lock.json");
  writeFileSync(file, JSON.stringify({ lockfileVersion: 3, packages }));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script, file]);
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, out: failed.stderr };
  }
}

describe("check-lockfile", () => {
  const workspace = { "": { workspaces: ["apps/cli"] }, "node_modules/@x/cli": { resolved: "apps/cli", link: true } };

  it("passes when each dependency resolves, nearest node_modules first, inside its range", async () => {
    const result = await check({
      ...workspace,
      "apps/cli": { version: "0.0.0", dependencies: { commander: "^15.1.0", "left-pad": "~1.3.0" } },
      "apps/cli/node_modules/commander": { version: "15.1.0" },
      "node_modules/commander": { version: "14.0.3" },
      "node_modules/left-pad": { version: "1.3.0" },
    });
    expect(result).toEqual({ code: 0, out: "✓ 2 locked dependencies satisfy their declared ranges\n" });
  });

  it("fails, naming it, when the version Node would load is outside the declared range", async () => {
    const result = await check({
      ...workspace,
      "apps/cli": { version: "0.0.0", dependencies: { commander: "^14.0.0" } },
      "apps/cli/node_modules/commander": { version: "15.1.0" },
      "node_modules/commander": { version: "14.0.3" },
    });
    expect(result.code).toBe(1);
    expect(result.out).toContain("apps/cli: commander@^14.0.0 resolves to 15.1.0");
  });
});
