import { microsToUsd } from "@aiaas/core";

const integer = new Intl.NumberFormat("en-US");

export const formatCount = (value: number) => integer.format(value);

/** Micro-dollars as dollars, keeping the small amounts inference costs. */
export function formatMicros(micros: bigint): string {
  const dollars = microsToUsd(micros);
  return dollars.toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: dollars !== 0 && dollars < 0.01 ? 6 : 2,
  });
}

export const formatMs = (ms: number | null) => (ms === null ? "—" : `${integer.format(ms)} ms`);

/** `2026-12-01` (a UTC day) as `Dec 1`. */
export const formatDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${formatCount(count)} ${count === 1 ? one : many}`;

/** Badge tone of a request status. */
const statusTone = {
  queued: "indigo",
  running: "indigo",
  succeeded: "green",
  failed: "red",
  cancelled: "grey",
  timed_out: "red",
} as const satisfies Record<string, "indigo" | "green" | "red" | "grey">;

export const toneOf = (status: string) =>
  status in statusTone ? statusTone[status as keyof typeof statusTone] : "grey";
