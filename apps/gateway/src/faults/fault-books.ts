import { longRun } from "../testing/long-run.ts";
import { afterAll, beforeAll, expect } from "vitest";
import { usageBreakdown } from "@aiaas/core/usage";
import { startFaultStack, type FaultStack } from "./fault-stack.ts";
import { SteadyLoad, type Outcome } from "./steady-load.ts";

/** Until every gateway answers again once a fault is over. */
export const RECOVERY_MS = 10_000;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm test` runs the fault scenarios short; `npm run test:faults` (FAULT_SCALE=long) longer. */
export const longFaults = longRun;
export const faultScale = longFaults
  ? { concurrency: 24, warmMs: 5_000, afterMs: 10_000 }
  : { concurrency: 8, warmMs: 1_500, afterMs: 3_000 };

/** A test file's fault stack, and the lines it reports once its tests are done. */
export interface FaultRun {
  stack: FaultStack;
  report: string[];
}

/** Starts a fault stack before a test file's tests and closes it after them, printing `heading` and the report. */
export function faultRun(heading: string[]): FaultRun {
  const run = { report: [] as string[] } as FaultRun;
  beforeAll(async () => {
    run.stack = await startFaultStack();
  }, 180_000);
  afterAll(async () => {
    console.log([...heading, ...run.report].join("\n"));
    await run.stack?.close();
  }, 60_000);
  return run;
}

export interface Result {
  outcomes: Outcome[];
  answered: string[];
  /** Answered requests without a request row, or without a usage event. */
  unrecorded: number;
  /** Tenants whose usage page (the daily roll-up) differs from their ledger. */
  pagesDisagree: string[];
  unbilled: number;
  billedTwice: number;
  chargedUnanswered: number;
  deadLetters: number;
  recoveryMs: number;
}

/**
 * Runs load, applies `fault` (which resolves when the fault is over), runs on
 * a while, then checks the books against what was answered. `excluded`: a
 * tenant whose ledger the fault itself removes (a deleted tenant).
 */
export async function underLoad(
  { stack, report }: FaultRun,
  name: string,
  fault: () => Promise<void>,
  excluded?: string,
): Promise<Result> {
  const load = new SteadyLoad(stack, faultScale.concurrency);
  load.start();
  await sleep(faultScale.warmMs);
  await fault();
  const liftedAt = Date.now();
  // Every gateway answers again: the first 200 from each after the fault.
  const recovered = () =>
    stack.gateways.map((_, gateway) =>
      load.outcomes.find((outcome) => outcome.gateway === gateway && outcome.at > liftedAt && outcome.status === 200),
    );
  for (let waited = 0; waited < RECOVERY_MS * 3 && recovered().some((first) => !first); waited += 100) await sleep(100);
  await sleep(faultScale.afterMs);
  await load.stop();
  const firsts = recovered();
  const recoveryMs = firsts.some((first) => !first)
    ? Number.POSITIVE_INFINITY
    : Math.max(...firsts.map((first) => (first?.at ?? 0) - liftedAt));

  const tenantIds = stack.tenants.map((tenant) => tenant.id);
  const counted = load.outcomes.filter((outcome) => tenantIds[outcome.tenant] !== excluded);
  const answered = counted.filter((outcome) => outcome.status === 200).flatMap((outcome) => outcome.requestId ?? []);
  const unanswered = counted.filter((outcome) => outcome.status !== 200).flatMap((outcome) => outcome.requestId ?? []);
  // Usage reaches the ledger within seconds: what a dead gateway left in the log, once it is old enough to sweep.
  const billed = async () =>
    stack.db.ledgerEntry.groupBy({ by: ["requestId"], where: { requestId: { in: answered } }, _count: true });
  let rows = await billed();
  for (let waited = 0; waited < 30_000 && rows.length < answered.length; waited += 250) {
    await sleep(250);
    rows = await billed();
  }
  const [requestRows, usageEvents] = await Promise.all([
    stack.db.request.count({ where: { id: { in: answered } } }),
    stack.db.usageEvent.count({ where: { requestId: { in: answered } } }),
  ]);
  const result: Result = {
    outcomes: load.outcomes,
    answered,
    unrecorded: 2 * answered.length - requestRows - usageEvents,
    pagesDisagree: await pagesDisagreeingWithLedger(stack, excluded),
    unbilled: answered.length - rows.length,
    billedTwice: rows.filter((row) => row._count > 1).length,
    chargedUnanswered: await stack.db.ledgerEntry.count({
      where: { requestId: { in: unanswered }, amountMicros: { gt: 0n } },
    }),
    deadLetters: await stack.db.usageDeadLetter.count({
      where: { requestId: { in: load.outcomes.flatMap((o) => o.requestId ?? []) } },
    }),
    recoveryMs,
  };
  const errors = new Map<string, number>();
  for (const outcome of load.outcomes.filter((one) => one.status !== 200)) {
    const key = outcome.status === 0 ? "no answer" : `${outcome.status}${outcome.code ? ` ${outcome.code}` : ""}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  report.push(
    `| ${name} | ${answered.length} | ${[...errors].map(([key, count]) => `${key}: ${count}`).join(", ") || "none"} | ${result.unbilled} | ${result.billedTwice} | ${result.chargedUnanswered} | ${result.deadLetters} | ${Number.isFinite(recoveryMs) ? `${(recoveryMs / 1000).toFixed(1)} s` : "never"} |`,
  );
  return result;
}

/** Tenants whose usage page (requests and cost, from the daily roll-up) differs from their ledger and usage events. */
async function pagesDisagreeingWithLedger(stack: FaultStack, excluded?: string) {
  const disagree: string[] = [];
  for (const { id } of stack.tenants.filter((tenant) => tenant.id !== excluded)) {
    const page = await usageBreakdown({ tenantId: id, days: 2 }, stack.db);
    const ledger = await stack.db.ledgerEntry.aggregate({
      where: { tenantId: id, kind: "usage" },
      _sum: { amountMicros: true },
    });
    const events = await stack.db.usageEvent.count({ where: { tenantId: id } });
    const shown = {
      requests: page.reduce((sum, row) => sum + row.requests, 0),
      costMicros: page.reduce((sum, row) => sum + row.costMicros, 0n),
    };
    if (shown.requests !== events || shown.costMicros !== (ledger._sum.amountMicros ?? 0n))
      disagree.push(
        `${id}: page ${shown.requests} requests, ${shown.costMicros} µ; ledger ${events}, ${ledger._sum.amountMicros} µ`,
      );
  }
  return disagree;
}

/** What every scenario must show. */
export function expectBooksBalanced({ stack }: FaultRun, result: Result) {
  expect(result.answered.length, "nothing was answered").toBeGreaterThan(0);
  expect(result.unbilled, "answered but never billed").toBe(0);
  expect(result.unrecorded, "answered without a request row or usage event").toBe(0);
  expect(result.pagesDisagree, "usage pages that disagree with the ledger").toEqual([]);
  expect(result.billedTwice, "billed twice").toBe(0);
  expect(result.chargedUnanswered, "charged without an answer").toBe(0);
  const ours = result.outcomes.filter((outcome) => outcome.status === 500 || outcome.status === 502);
  const logged = stack.gateways.flatMap((gateway) =>
    gateway.logs
      .join("")
      .split("\n")
      .filter((line) => line.includes('"level":50')),
  );
  expect(ours.length, `500s; the gateways logged: ${logged.slice(0, 3).join("\n")}`).toBe(0);
  expect(result.recoveryMs, "ms until every gateway answered again").toBeLessThanOrEqual(RECOVERY_MS);
}
