import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const script = new URL("./audit-dependencies.mjs", import.meta.url).pathname;

const advisory = (name: string, severity: string, ghsa: string) => ({
  source: 1,
  name,
  dependency: name,
  title: `${name} does something bad`,
  url: `https://github.com/advisories/${ghsa}`,
  severity,
  range: "<2.0.0",
});

/** Runs the script on an npm audit report and an allow-list, as files. */
async function audit(report: unknown, allowed: unknown[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "audit-"));
  writeFileSync(join(dir, "report.json"), JSON.stringify(report));
  writeFileSync(join(dir, "allow.json"), JSON.stringify({ allowed }));
  const args = [script, "--report", join(dir, "report.json"), "--allowlist", join(dir, "allow.json")];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args);
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const reportOf = (vulnerabilities: Record<string, unknown>) => ({
  auditReportVersion: 2,
  vulnerabilities,
  metadata: { dependencies: { prod: 120, total: 900 } },
});

describe("audit-dependencies", () => {
  it("passes a report without high or critical advisories, and says how many dependencies it audited", async () => {
    const low = { name: "a", severity: "moderate", via: [advisory("a", "moderate", "GHSA-aaaa-aaaa-aaaa")] };
    expect(await audit(reportOf({ a: low }))).toEqual({
      code: 0,
      out: "✓ 120 production dependencies audited: no high or critical advisory to act on\n",
    });
  });

  it("fails on a high or critical advisory, named once however many packages it reaches through", async () => {
    const result = await audit(
      reportOf({
        b: { name: "b", severity: "critical", via: [advisory("b", "critical", "GHSA-bbbb-bbbb-bbbb")] },
        c: { name: "c", severity: "critical", via: ["b"] },
      }),
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain("1 high or critical advisories in production dependencies:");
    expect(result.out).toContain("b (<2.0.0): critical, b does something bad [GHSA-bbbb-bbbb-bbbb]");
  });

  it("allows a reviewed advisory until its date, and fails again after it", async () => {
    const report = reportOf({
      d: { name: "d", severity: "high", via: [advisory("d", "high", "GHSA-dddd-dddd-dddd")] },
    });
    const entry = { id: "GHSA-dddd-dddd-dddd", reason: "only reached by the build", until: "2999-01-01" };
    const allowed = await audit(report, [entry]);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain(
      "allowed: d (<2.0.0): high, d does something bad [GHSA-dddd-dddd-dddd]: only reached",
    );
    const expired = await audit(report, [{ ...entry, until: "2020-01-01" }]);
    expect(expired.code).toBe(1);
    expect(expired.out).toContain("its allow-list entry ran out on 2020-01-01");
  });

  it("says plainly that nothing was audited when the registry serves no advisories", async () => {
    const refused = {
      message: "405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk",
    };
    expect(await audit(refused)).toEqual({
      code: 3,
      out: "dependencies not audited: 405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk\n",
    });
  });
});
