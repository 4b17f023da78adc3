// Counts and failures of the test steps, read from the runners' JSON reports.
import { existsSync, readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";

function readReport(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

/** The first line of a failure's message, without colour codes, cut to one screen line. */
function firstLine(message = "") {
  const line =
    stripVTControlCharacters(message)
      .split("\n")
      .find((text) => text.trim()) ?? "";
  return line.trim().slice(0, 300);
}

/** Vitest's JSON reporter: numPassedTests / numFailedTests. */
export function vitestCounts(file) {
  const report = readReport(file);
  if (!report) return null;
  const failures = [];
  for (const suite of report.testResults ?? []) {
    const failed = (suite.assertionResults ?? []).filter((test) => test.status === "failed");
    // A timeout's message is only a stack here: its duration says what happened.
    for (const test of failed) {
      const seconds = ((test.duration ?? 0) / 1000).toFixed(1);
      failures.push(`${test.fullName} (${seconds} s): ${firstLine(test.failureMessages?.[0])}`);
    }
    if (suite.status === "failed" && failed.length === 0) failures.push(`${suite.name}: ${firstLine(suite.message)}`);
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
    failures,
  };
}

/** Every spec of a Playwright suite, however deeply nested. */
function specsOf(suite) {
  return [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specsOf)];
}

/** Playwright's JSON reporter: expected / unexpected / flaky. */
export function playwrightCounts(file) {
  const report = readReport(file);
  if (!report) return null;
  const { stats } = report;
  const failures = (report.suites ?? [])
    .flatMap(specsOf)
    .filter((spec) => !spec.ok)
    .map((spec) => {
      const error = spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error;
      return `${spec.file}:${spec.line} ${spec.title}: ${firstLine(error?.message)}`;
    });
  for (const error of report.errors ?? []) failures.push(firstLine(error.message));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected + (report.errors?.length ?? 0), failures };
}
