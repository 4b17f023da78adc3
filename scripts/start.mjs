#!/usr/bin/env node
// `npm start`: install what is missing, find or start Postgres and Redis,
// migrate, seed, build, and run console, gateway and worker. Plain Node, so
// it runs before anything is installed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appCommands, startApps } from "./lib/apps.mjs";
import { startMailCatcher } from "./lib/mail-catcher.mjs";
import { choosePorts } from "./lib/ports.mjs";
import { prepareStack } from "./lib/stack.mjs";
import { run } from "./lib/run.mjs";
import { bin, dataDir } from "./lib/paths.mjs";
import { fail, ok, paint, runMain, step } from "./lib/log.mjs";
import { waitForHttp } from "./lib/net.mjs";

const started = Date.now();

await runMain(async () => {
  const ports = await choosePorts({ console: 3000, gateway: 8080, gateway_internal: 9080, worker: 8081, smtp: 2525 });
  const urls = {
    consoleUrl: `http://localhost:${ports.console}`,
    gatewayUrl: `http://localhost:${ports.gateway}`,
  };
  const demoFile = join(dataDir, "demo.json");
  const { env, stop: stopServices } = await prepareStack({
    database: "aiaas",
    suffix: "",
    fresh: false,
    envFile: "local.env",
    demoFile: "demo.json",
  });

  step("building…");
  await run(bin("turbo"), ["run", "build", "--output-logs=errors-only"], {
    env: { NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" },
    label: "build",
  }).catch(async (error) => {
    await stopServices();
    throw error;
  });

  // Workers send mail over SMTP to a catcher of ours; operators read it at /dev/mail.
  const mail = await startMailCatcher({ dir: join(dataDir, "mail"), port: ports.smtp });
  const apps = startApps(appCommands({ consolePort: ports.console }), {
    ...env,
    NODE_ENV: "production",
    LOG_FORMAT: "pretty",
    GATEWAY_PORT: String(ports.gateway),
    GATEWAY_INTERNAL_PORT: String(ports.gateway_internal),
    WORKER_PORT: String(ports.worker),
    PUBLIC_GATEWAY_URL: urls.gatewayUrl,
    CONSOLE_URL: urls.consoleUrl,
    DEV_MAIL: "true",
    // Tenants may try single sign-on with an IdP on this machine (a local Keycloak, say).
    SSO_ALLOW_PRIVATE_IDPS: "true",
    SMTP_URL: mail.url,
    DEV_MAILBOX_DIR: mail.dir,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log(paint("dim", "\nstopping…"));
    await apps.stop();
    await mail.close();
    await stopServices();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  for (const { name, child } of apps.children) {
    child.once("exit", (code) => {
      if (!stopping) {
        console.error(paint("red", `${name} exited (${code ?? "signal"}): stopping everything`));
        void shutdown(1);
      }
    });
  }

  const checks = {
    gateway: `http://127.0.0.1:${ports.gateway_internal}/readyz`,
    worker: `http://127.0.0.1:${ports.worker}/readyz`,
    console: `http://127.0.0.1:${ports.console}/api/health`,
  };
  for (const [name, url] of Object.entries(checks)) {
    const result = await waitForHttp(url, 60_000, () => !stopping);
    if (stopping) return;
    if (result !== true) {
      await shutdown(1).catch(() => {});
      fail(`${name} did not become ready at ${url}: ${result}`);
    }
  }

  const demo = { ...urls, ...JSON.parse(readFileSync(demoFile, "utf8")) };
  Object.assign(demo, urls);
  writeFileSync(demoFile, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  ok(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`
  ${paint("bold", "Console")}   ${urls.consoleUrl}
  ${paint("bold", "API")}       ${urls.gatewayUrl}/v1
  ${paint("bold", "Metrics")}   http://localhost:${ports.gateway_internal}/metrics (gateway), http://localhost:${ports.worker}/metrics (worker)
  ${paint("bold", "Mail")}      ${urls.consoleUrl}/dev/mail (sign in as the operator)

  Operator  ${demo.operator.email} / ${demo.operator.password}  (sets up two-factor sign-in at the first sign-in)
  Owner     ${demo.owner.email} / ${demo.owner.password}
  API key   ${demo.apiKey}

  Saved in .data/demo.json. Press Ctrl-C to stop.
`);
});
