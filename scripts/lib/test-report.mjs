// Counts of the test steps, read from the runners' JSON reports.
import { existsSync, readFileSync } from "node:fs";

/** Vitest's JSON reporter: numPassedTests / numFailedTests. */
export function vitestCounts(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8"));
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0) };
}

/** Playwright's JSON reporter: expected / unexpected / flaky. */
export function playwrightCounts(file) {
  if (!existsSync(file)) return null;
  const { stats } = JSON.parse(readFileSync(file, "utf8"));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected + (stats.errors?.length ?? 0) };
}
