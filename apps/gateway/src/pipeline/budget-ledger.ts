import type { Redis } from "ioredis";
import { loadOnce, tenantBoundDb, type Db } from "@aiaas/db";
import { type FailureReporter } from "@aiaas/core/platform";
import {
  budgetPeriod,
  spentInBudgetPeriod,
  type QuotaGate,
  type QuotaScope,
  type Reservation,
} from "@aiaas/core/quota";
import { ApiError } from "../openai-error.ts";
import { RedisEpoch } from "./redis-epoch.ts";

export interface BudgetLedgerOptions {
  /** Called when Redis has lost its data (besides restoring reservations): the usage recorder flushes. */
  onLoss: () => void;
  /** After Redis lost its data, budget-bound requests wait this long for every gateway's usage to reach the ledger. */
  graceMs: number;
  /** How often counters of budgets in use are reconciled with the ledger. */
  reconcileEveryMs: number;
}

const counterId = (scope: QuotaScope, now: Date) =>
  `${scope.tenantId}|${scope.kind}|${scope.id}|${budgetPeriod(scope.limits, now).id}`;

const rebuilding = () =>
  new ApiError(
    503,
    "Usage limits are being rebuilt from the ledger after the limits store lost its data; requests with a budget are refused until then (a few seconds). Try again shortly.",
    "limits_rebuilding",
  );

/**
 * Budgets that survive Redis: a budget's counter in Redis is seeded from the
 * ledger (Postgres) before its first use, and raised to it again every
 * `reconcileEveryMs` while in use (a settlement that failed, a lease that
 * ran out). When Redis has lost its data (RedisEpoch: noticed within a
 * second, or at once by the first admission that finds a counter gone),
 * this gateway restores the reservations of its requests in flight, and
 * budget-bound requests are refused (503 `limits_rebuilding`) for
 * `graceMs`, until every gateway's finished requests have reached the
 * ledger; then the counters are seeded again. Never free inference.
 */
export class BudgetLedger {
  readonly #seeding = new Map<string, Promise<void>>();
  /** Requests admitted with a budget and not settled yet, by request id. */
  readonly #open = new Map<string, Reservation>();
  /** Budgets in use lately, by counter: reconciled until they have been idle a while. */
  readonly #active = new Map<string, { scope: QuotaScope; usedAt: number }>();
  readonly #epoch: RedisEpoch;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly gate: QuotaGate,
    private readonly db: Db,
    redis: Redis,
    prefix: string,
    private readonly failures: FailureReporter,
    private readonly options: BudgetLedgerOptions,
  ) {
    this.#epoch = new RedisEpoch(redis, prefix, () => this.#lost());
  }

  /**
   * Seeds a scope's counter from the ledger (once at a time per counter).
   * A counter found missing may mean Redis lost its data: that is checked
   * first, and just after a loss the ledger is not trusted yet.
   */
  async seed(scope: QuotaScope): Promise<void> {
    await this.#epoch.check();
    const { lostAt } = this.#epoch;
    if (lostAt !== undefined && Date.now() - lostAt < this.options.graceMs) throw rebuilding();
    const now = new Date();
    const id = counterId(scope, now);
    await loadOnce(this.#seeding, id, async () => {
      const spent = await spentInBudgetPeriod(tenantBoundDb(this.db, scope.tenantId), scope, now);
      await this.gate.seed(scope, spent, now);
    });
  }

  /** A request admitted with these scopes: its reservation is restored should Redis lose it. */
  opened(reservation: Reservation) {
    const budgeted = reservation.scopes.filter((scope) => scope.limits.budgetMicros !== null);
    if (budgeted.length === 0) return;
    this.#open.set(reservation.requestId, reservation);
    const now = new Date();
    for (const scope of budgeted) this.#active.set(counterId(scope, now), { scope, usedAt: now.getTime() });
  }

  closed(requestId: string) {
    this.#open.delete(requestId);
  }

  /** Redis lost its data: restore what this gateway has in flight, and hold budgets back while the ledger catches up. */
  #lost() {
    this.options.onLoss();
    for (const reservation of this.#open.values()) {
      this.gate
        .restore(reservation)
        .catch((error: unknown) =>
          this.failures.report(
            "settle_failed",
            "a reservation in flight could not be restored after Redis lost its data; the ledger reconciles it",
            { requestId: reservation.requestId, tenantId: reservation.scopes[0]?.tenantId },
            error,
          ),
        );
    }
  }

  /** Watches for a loss of Redis's data, and reconciles the budgets in use every `reconcileEveryMs`, until stopped. */
  start() {
    this.#epoch.start();
    const round = () => {
      void this.reconcile().finally(() => (this.#timer = setTimeout(round, this.options.reconcileEveryMs).unref()));
    };
    this.#timer = setTimeout(round, this.options.reconcileEveryMs).unref();
  }

  stop() {
    this.#epoch.stop();
    clearTimeout(this.#timer);
  }

  /** Raises each budget in use to the ledger plus what is reserved; forgets budgets idle for ten rounds. Never rejects. */
  async reconcile(): Promise<void> {
    const idleSince = Date.now() - this.options.reconcileEveryMs * 10;
    for (const [id, { scope, usedAt }] of this.#active) {
      if (usedAt < idleSince) {
        this.#active.delete(id);
        continue;
      }
      await this.seed(scope).catch((error: unknown) => {
        if (error instanceof ApiError) return; // Rebuilding after a loss: the next round does it.
        this.failures.report(
          "settle_failed",
          "a budget could not be reconciled with the ledger; the next round tries again",
          { tenantId: scope.tenantId },
          error,
        );
      });
    }
  }
}
