import { spawn } from "node:child_process";
import { root } from "./paths.mjs";
import { fail } from "./log.mjs";

/**
 * Runs a command to completion with inherited output; rejects with a clear
 * StartError naming `label` when it fails. `capture` returns stdout instead.
 */
export function run(
  command,
  args,
  { env = {}, cwd = root, label = command, capture = false, allowFailure = false } = {},
) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    });
    let stdout = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.on("error", (error) => reject(error));
    child.on("exit", (code, signal) => {
      if (code === 0 || allowFailure) return resolve({ code: code ?? 1, stdout });
      try {
        fail(`${label} failed (${signal ?? `exit code ${code}`})`);
      } catch (error) {
        reject(error);
      }
    });
  });
}
