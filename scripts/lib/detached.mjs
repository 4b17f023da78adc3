// Children of npm start / npm test run in process groups of their own, so a
// Ctrl-C in the terminal reaches only our script, which then stops them in
// order: apps first, then the servers they use.
import { spawn } from "node:child_process";

const running = new Set();
// Last resort if our script dies abruptly: no child outlives it.
process.once("exit", () => {
  for (const child of running) child.kill("SIGTERM");
});

export function spawnDetached(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options, detached: true });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const stop = (graceMs = 15_000) =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.once("exit", () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { child, stop };
}
