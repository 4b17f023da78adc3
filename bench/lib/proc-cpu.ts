// CPU time read from /proc: of one process, and of the whole machine.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const TICK_MS = 1000 / 100; // USER_HZ

/** CPU time of a process so far, in ms (0 once it has gone). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The machine's CPU time so far, in ms summed over its cores: busy, and in all (/proc/stat's first line). */
export function machineCpuMs(): { busy: number; total: number } {
  const ticks = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle and iowait
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}

/** The pids of the processes named `name`. */
export const pgrep = (name: string) => {
  try {
    return execFileSync("pgrep", ["-x", name]).toString().trim().split("\n").map(Number);
  } catch {
    return [];
  }
};
