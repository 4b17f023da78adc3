#!/usr/bin/env node
// `npm test`: the set-up of `npm start` against a separate test database,
// then format, lint, dependency rules, typecheck, unit, integration, build
// and end-to-end tests. The last line is `N passed, M failed`.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { appCommands, startApps } from "./lib/apps.mjs";
import { startMailCatcher } from "./lib/mail-catcher.mjs";
import { choosePorts } from "./lib/ports.mjs";
import { prepareStack, testStack } from "./lib/stack.mjs";
import { run } from "./lib/run.mjs";
import { at, bin, dataDir } from "./lib/paths.mjs";
import { paint, runMain, step } from "./lib/log.mjs";
import { waitForHttp } from "./lib/net.mjs";
import { playwrightCounts, vitestCounts } from "./lib/test-report.mjs";

const reports = join(dataDir, "test-reports");
/** Where the e2e run keeps each app's log: read them when an e2e test failed. */
const appLogs = join(reports, "e2e-apps");
const results = [];
const noTelemetry = { NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" };
const lintHeap = { NODE_OPTIONS: "--max-old-space-size=8192" };

/**
 * Runs one step; a check counts as one test, a runner as its tests. A check
 * that exits with `skippedCode` could not run here (and says why): it counts
 * as skipped, neither passed nor failed.
 */
async function runStep(name, command, args, { env = {}, counts, skippedCode } = {}) {
  step(name);
  const started = Date.now();
  const { code } = await run(command, args, { env, allowFailure: true });
  if (code === skippedCode) {
    results.push({ name, passed: 0, failed: 0, skipped: 1, seconds: (Date.now() - started) / 1000 });
    return false;
  }
  const counted = counts?.();
  const result = counted ?? (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  // A runner that exits non-zero with no failing test still failed (e.g. a crash).
  if (code !== 0 && result.failed === 0) result.failed = 1;
  results.push({ name, ...result, seconds: (Date.now() - started) / 1000 });
  return code === 0;
}

await runMain(async () => {
  const ports = await choosePorts({ console: 3100, gateway: 8180, gateway_internal: 9180, worker: 8181, smtp: 2625 });
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const { env, stop } = await prepareStack(testStack);
  const testEnv = { ...env, NODE_ENV: "test", ...noTelemetry };

  try {
    await runStep("format", bin("prettier"), ["--check", "--log-level", "warn", "."]);
    // Type-aware lint holds every package's program at once: past Node's default heap (about 4 GB).
    await runStep("lint", bin("eslint"), [".", "--max-warnings", "0"], { env: lintHeap });
    await runStep("dependency rules", bin("depcruise"), ["apps", "packages", "--config", ".dependency-cruiser.cjs"]);
    await runStep("lockfile", process.execPath, [at("scripts/check-lockfile.mjs"), at("package-lock.json")]);
    // Where the registry serves no advisory database (some mirrors), it says so and counts as skipped.
    await runStep("dependency audit", process.execPath, [at("scripts/audit-dependencies.mjs")], { skippedCode: 3 });
    // One program for everything but the console (each file checked once, not once per package importing it).
    await runStep("typecheck", bin("tsc"), ["--noEmit", "-p", at("tsconfig.typecheck.json")]);
    await runStep("typecheck console", bin("tsc"), ["--noEmit", "-p", at("apps/console")]);
    // The fault suite runs short here; `npm run test:faults` runs it long (and the property tests longer).
    const projects = { unit: "unit tests", int: "int tests", faults: "fault suite" };
    for (const [project, name] of Object.entries(projects)) {
      const file = join(reports, `${project}.json`);
      await runStep(
        name,
        bin("vitest"),
        ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`],
        {
          env: testEnv,
          counts: () => vitestCounts(file),
        },
      );
    }
    const built = await runStep("build", bin("turbo"), ["run", "build", "--output-logs=errors-only"], {
      env: noTelemetry,
    });
    if (built) await runEndToEnd(testEnv, ports);
  } finally {
    await stop();
  }

  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  const skipped = results.reduce((sum, r) => sum + (r.skipped ?? 0), 0);
  console.log("");
  for (const r of results) {
    const mark = r.failed ? paint("red", "✗") : r.skipped ? paint("dim", "–") : paint("green", "✓");
    const note = r.skipped ? "  skipped (see above)" : "";
    console.log(
      `${mark} ${r.name.padEnd(18)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1)} s${note}`,
    );
  }
  const failures = results.flatMap((r) => (r.failures ?? []).map((failure) => `${r.name}: ${failure}`));
  if (failures.length) console.log(`\nfailed:\n${failures.map((failure) => `  ${failure}`).join("\n")}\n`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exitCode = failed ? 1 : 0;
});

async function runEndToEnd(env, ports) {
  // Mail leaves the worker over SMTP, as in production, to a catcher the tests read through /dev/mail.
  const mailDir = join(dataDir, "test-mail");
  rmSync(mailDir, { recursive: true, force: true });
  const mail = await startMailCatcher({ dir: mailDir, port: ports.smtp });
  const apps = startApps(
    appCommands({ consolePort: ports.console }),
    {
      ...env,
      NODE_ENV: "production",
      GATEWAY_PORT: String(ports.gateway),
      GATEWAY_INTERNAL_PORT: String(ports.gateway_internal),
      WORKER_PORT: String(ports.worker),
      PUBLIC_GATEWAY_URL: `http://localhost:${ports.gateway}`,
      CONSOLE_URL: `http://localhost:${ports.console}`,
      DEV_MAIL: "true",
      // Tenants may try single sign-on with an IdP on this machine (e2e: one on loopback).
      SSO_ALLOW_PRIVATE_IDPS: "true",
      SMTP_URL: mail.url,
      DEV_MAILBOX_DIR: mail.dir,
      OUTBOX_SEND_EVERY_MS: "200",
      // Every e2e test signs up from 127.0.0.1; the limits themselves are integration-tested.
      AUTH_SIGNUPS_PER_MINUTE: "1000",
      AUTH_SIGNINS_PER_MINUTE: "1000",
      GATEWAY_KEY_LOOKUPS_PER_MINUTE: "100000",
      LOG_LEVEL: "info",
    },
    { logDir: appLogs },
  );
  const file = join(reports, "e2e.json");
  let failed = true;
  try {
    for (const url of [
      `http://127.0.0.1:${ports.gateway_internal}/readyz`,
      `http://127.0.0.1:${ports.worker}/readyz`,
      `http://127.0.0.1:${ports.console}/api/health`,
    ]) {
      const ready = await waitForHttp(url, 60_000);
      if (ready !== true) {
        results.push({ name: "e2e tests", passed: 0, failed: 1, seconds: 0 });
        console.error(paint("red", `not ready: ${url}: ${ready}`));
        return;
      }
    }
    const passed = await runStep("e2e tests", bin("playwright"), ["test", "-c", "e2e/playwright.config.ts"], {
      env: {
        ...env,
        CONSOLE_URL: `http://localhost:${ports.console}`,
        GATEWAY_URL: `http://localhost:${ports.gateway}`,
        PLAYWRIGHT_JSON_OUTPUT_NAME: file,
        DEMO_FILE: join(dataDir, "test-demo.json"),
      },
      counts: () => playwrightCounts(file),
    });
    failed = !passed;
  } finally {
    await apps.stop();
    await mail.close();
    if (failed) showAppLogs();
  }
}

/** The end of each app's log, and where the whole of it is, after a failed e2e run. */
function showAppLogs() {
  for (const name of ["gateway", "worker", "console"]) {
    const path = join(appLogs, `${name}.log`);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n").slice(-30);
    console.log(paint("dim", `--- the last ${lines.length} lines of ${path}`));
    console.log(lines.join("\n"));
  }
}
