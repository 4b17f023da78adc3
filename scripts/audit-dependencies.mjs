#!/usr/bin/env node
// `npm audit --omit=dev`, judged: fails on a high or critical advisory in a
// production dependency unless scripts/audit-allowlist.json names it with a
// reason and a date until which the reason holds.
// Usage: node scripts/audit-dependencies.mjs [--report npm-audit.json] [--allowlist file]
// Exit: 0 audited and clean, 1 advisories to act on, 3 the registry serves no advisories (not audited).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs, promisify } from "node:util";
import { judgeAudit } from "./lib/audit-policy.mjs";

const { values } = parseArgs({
  options: {
    report: { type: "string" },
    allowlist: { type: "string", default: new URL("./audit-allowlist.json", import.meta.url).pathname },
  },
});

async function npmAudit() {
  try {
    const { stdout } = await promisify(execFile)("npm", ["audit", "--omit=dev", "--json"], { maxBuffer: 64 << 20 });
    return stdout;
  } catch (error) {
    // npm audit exits 1 when it finds anything; its report is still on stdout.
    const failed = /** @type {{ stdout?: string }} */ (error);
    if (failed.stdout) return failed.stdout;
    throw error;
  }
}

const report = JSON.parse(values.report ? readFileSync(values.report, "utf8") : await npmAudit());
const { allowed } = JSON.parse(readFileSync(values.allowlist, "utf8"));
const verdict = judgeAudit(report, allowed, new Date());
if (verdict.unreachable) {
  console.error(`dependencies not audited: ${verdict.unreachable}`);
  process.exit(3);
}
for (const line of verdict.allowed) console.log(`allowed: ${line}`);
if (verdict.violations.length) {
  console.error(`${verdict.violations.length} high or critical advisories in production dependencies:`);
  for (const line of verdict.violations) console.error(`  ${line}`);
  console.error("Upgrade them, or add a reviewed entry (id, reason, until) to scripts/audit-allowlist.json.");
  process.exit(1);
}
console.log(`✓ ${verdict.audited} production dependencies audited: no high or critical advisory to act on`);
