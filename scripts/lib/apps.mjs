// Runs console, gateway and worker as children with prefixed, coloured logs,
// and stops them (and only them) on request.
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { at, root } from "./paths.mjs";
import { paint } from "./log.mjs";
import { spawnDetached } from "./detached.mjs";

// A young generation of 32 MB semi-spaces: at concurrency 32 the services' short-lived
// objects then die young instead of being promoted (docs/performance.md).
const serviceEntry = (file) => [process.execPath, ["--max-semi-space-size=32", "--import", "tsx", at(file)]];

export function appCommands({ consolePort, host = "127.0.0.1" }) {
  return {
    // Next behind our own server (apps/console/src/serve.ts): it gives pages the client's address.
    console: {
      colour: "magenta",
      command: [process.execPath, ["--import", "tsx", at("apps/console/src/serve.ts")]],
      cwd: at("apps/console"),
      env: { PORT: String(consolePort), CONSOLE_HOST: host },
    },
    gateway: { colour: "blue", command: serviceEntry("apps/gateway/src/main.ts"), cwd: root },
    worker: { colour: "yellow", command: serviceEntry("apps/worker/src/main.ts"), cwd: root },
  };
}

/** `logDir`: each app's output goes to `<logDir>/<app>.log` instead of the terminal (npm test keeps them). */
export function startApps(apps, env, { logDir } = {}) {
  if (logDir) mkdirSync(logDir, { recursive: true });
  const children = Object.entries(apps).map(([name, { colour, command, cwd, env: own }]) => {
    const [file, args] = command;
    const { child, stop } = spawnDetached(file, args, { cwd, env: { ...process.env, ...env, ...own } });
    const prefix = paint(colour, `[${name}]`.padEnd(10));
    const logFile = logDir ? createWriteStream(join(logDir, `${name}.log`)) : null;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) =>
        logFile ? logFile.write(`${line}\n`) : console.log(`${prefix}${line}`),
      );
    }
    return {
      name,
      child,
      stop: () => stop().then(() => new Promise((resolve) => (logFile ? logFile.end(resolve) : resolve()))),
    };
  });
  return {
    children,
    stop: () => Promise.all(children.map(({ stop }) => stop())),
  };
}
