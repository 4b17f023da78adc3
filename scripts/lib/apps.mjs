// Runs console, gateway and worker as children with prefixed, coloured logs,
// and stops them (and only them) on request.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { at, bin, root } from "./paths.mjs";
import { paint } from "./log.mjs";

const tsxEntry = (file) => [process.execPath, ["--import", "tsx", at(file)]];

export function appCommands({ consolePort, host = "127.0.0.1" }) {
  return {
    console: {
      colour: "magenta",
      command: [bin("next"), ["start", "-p", String(consolePort), "-H", host]],
      cwd: at("apps/console"),
    },
    gateway: { colour: "blue", command: tsxEntry("apps/gateway/src/main.ts"), cwd: root },
    worker: { colour: "yellow", command: tsxEntry("apps/worker/src/main.ts"), cwd: root },
  };
}

export function startApps(apps, env) {
  const children = Object.entries(apps).map(([name, { colour, command, cwd }]) => {
    const [file, args] = command;
    const child = spawn(file, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const prefix = paint(colour, `[${name}]`.padEnd(10));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => console.log(`${prefix}${line}`));
    }
    return { name, child };
  });
  return {
    children,
    alive: (name) => children.some((entry) => entry.name === name && entry.child.exitCode === null),
    async stop() {
      await Promise.all(
        children.map(
          ({ child }) =>
            new Promise((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
              child.once("exit", () => {
                clearTimeout(killer);
                resolve();
              });
              child.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}
