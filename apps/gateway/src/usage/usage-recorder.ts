import { randomUUID } from "node:crypto";
import { SpanStatusCode } from "@opentelemetry/api";
import { Gauge, type Registry } from "prom-client";
import type { FailureReporter } from "@aiaas/core/platform";
import { tracer } from "@aiaas/core/telemetry";
import type { ChainableCommander } from "ioredis";
import type { UsageLog } from "./usage-log.ts";
import type { UsageRecord } from "./usage-record.ts";
import type { DeadLetter, UsageWriter } from "./usage-writer.ts";

export interface RecorderOptions {
  /** Records are written in batches at most this far apart. */
  flushMs: number;
  batchSize?: number;
  /** Past this many records waiting in memory, the oldest are left to the log's sweeper. */
  maxBuffered?: number;
  /** An entry older than this is an orphan: its gateway died, or could not write it. */
  orphanAgeMs: number;
  /** How often each gateway looks for orphans (one sweeps at a time). */
  sweepEveryMs: number;
}

interface Pending {
  id: string;
  record: UsageRecord;
}

/**
 * The third part of the public path (after the request lifecycle and its
 * HTTP adapter): makes each finished request's usage durable before its
 * answer leaves, then writes it to Postgres.
 *
 * `record` appends to the usage log (Redis, on disk) and resolves only
 * then; with Redis away it writes to Postgres directly, and fails when
 * neither takes it (the lifecycle then withholds a billable answer). The
 * record is also kept in memory and written in batches, then deleted from
 * the log; a batch that fails stays for the next flush. What a gateway that
 * died (kill -9, OOM, a drained node) left in the log is written by the
 * sweep, which every gateway runs and one at a time performs. A record that
 * cannot be written at all becomes a dead letter, never a blocked batch.
 */
export class UsageRecorder {
  readonly #buffer: Pending[] = [];
  readonly #owner = randomUUID();
  #timer: NodeJS.Timeout | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #failures = 0;

  constructor(
    private readonly log: UsageLog,
    private readonly writer: UsageWriter,
    private readonly failures: FailureReporter,
    private readonly options: RecorderOptions,
  ) {}

  /**
   * Resolves once the record is durable (in the log, or in Postgres); rejects
   * when it is neither. `along` is written in the same MULTI as the log entry
   * (see UsageLog.append); on the Postgres path it is not written at all.
   */
  async record(record: UsageRecord, along?: (multi: ChainableCommander) => void): Promise<{ along: boolean }> {
    const span = tracer().startSpan("usage record", {
      attributes: {
        "aiaas.tenant.id": record.tenantId,
        "aiaas.request.id": record.requestId,
        "aiaas.request.status": record.status,
        "aiaas.usage.cost_micros": Number(record.costMicros),
        "gen_ai.usage.input_tokens": record.inputTokens,
        "gen_ai.usage.output_tokens": record.outputTokens,
      },
    });
    try {
      return await this.#record(record, along);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: "usage_write_failed" });
      throw error;
    } finally {
      span.end();
    }
  }

  async #record(record: UsageRecord, along?: (multi: ChainableCommander) => void): Promise<{ along: boolean }> {
    let id: string;
    try {
      id = await this.log.append(record, along);
    } catch (logError) {
      try {
        await this.#write([record]);
        return { along: false };
      } catch (writeError) {
        this.failures.report(
          "usage_write_failed",
          "a usage record could be neither logged nor written",
          { requestId: record.requestId, tenantId: record.tenantId, log: (logError as Error).message },
          writeError,
        );
        throw writeError;
      }
    }
    this.#buffer.push({ id, record });
    const { maxBuffered = 100_000, batchSize = 500 } = this.options;
    if (this.#buffer.length > maxBuffered) {
      // Memory is bounded; the log is not: the sweep writes these once they are old enough.
      const left = this.#buffer.splice(0, this.#buffer.length - maxBuffered);
      this.failures.report(
        "usage_write_failed",
        `usage records waiting in memory passed ${maxBuffered}: the oldest ${left.length} are left to the usage log's sweep`,
        {},
      );
    }
    if (this.#buffer.length >= batchSize) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#delay());
    return { along: along !== undefined };
  }

  /** Writes what is waiting (also on shutdown); a failure leaves it waiting. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer.splice(0, this.options.batchSize ?? 500);
    this.#flushing = this.#write(batch.map(({ record }) => record))
      .then(async () => {
        this.#failures = 0;
        await this.#forget(batch.map(({ id }) => id));
        if (this.#buffer.length > 0) this.#timer ??= setTimeout(() => void this.flush(), 0);
      })
      .catch((error: unknown) => {
        this.#failures += 1;
        this.failures.report(
          "usage_write_failed",
          `usage could not be written (${batch.length} records); they stay in the usage log and are tried again`,
          { records: batch.length },
          error,
        );
        this.#buffer.unshift(...batch);
        this.#timer ??= setTimeout(() => void this.flush(), this.#delay());
      })
      .finally(() => (this.#flushing = undefined));
    await this.#flushing;
  }

  /** Sweeps the log for orphans every `sweepEveryMs`, until closed. */
  start(registry: Registry, metricsPrefix: string) {
    const log = this.log;
    new Gauge({
      name: `${metricsPrefix}usage_log_records`,
      help: "Usage records in the usage log (Redis): answered, not yet in Postgres",
      registers: [registry],
      async collect() {
        this.set(await log.length().catch(() => Number.NaN));
      },
    });
    const sweep = () => {
      this.sweep()
        .catch((error: unknown) =>
          this.failures.report("usage_write_failed", "the usage log's sweep failed; it runs again", {}, error),
        )
        .finally(() => (this.#sweeper = setTimeout(sweep, this.options.sweepEveryMs).unref()));
    };
    this.#sweeper = setTimeout(sweep, this.options.sweepEveryMs).unref();
  }

  /** Writes the log's orphans, if no other gateway is sweeping; returns how many entries it took. */
  async sweep(): Promise<number> {
    const { orphanAgeMs, sweepEveryMs } = this.options;
    if (!(await this.log.claimSweep(this.#owner, Math.max(sweepEveryMs, 1_000) * 5))) return 0;
    let taken = 0;
    for (;;) {
      const entries = await this.log.orphans(orphanAgeMs, 500);
      if (entries.length === 0) return taken;
      const records = entries.flatMap((entry) => ("record" in entry ? [entry.record] : []));
      const unreadable: DeadLetter[] = entries.flatMap((entry) =>
        "unreadable" in entry
          ? [
              {
                requestId: "",
                tenantId: "",
                reason: `unreadable log entry: ${entry.unreadable}`,
                record: { raw: entry.raw.slice(0, 10_000) },
              },
            ]
          : [],
      );
      await this.#write(records);
      await this.writer.deadLetter(unreadable);
      this.#report(unreadable);
      await this.log.remove(entries.map(({ id }) => id));
      taken += entries.length;
      if (entries.length < 500) return taken;
    }
  }

  async close() {
    clearTimeout(this.#sweeper);
    await this.flush();
    await this.#flushing;
  }

  async #write(records: UsageRecord[]) {
    if (records.length === 0) return;
    const { dead } = await this.writer.write(records);
    this.#report(dead);
  }

  #report(dead: DeadLetter[]) {
    for (const letter of dead) {
      this.failures.report("usage_dead_letter", "a usage record could not be written and went to usage_dead_letters", {
        requestId: letter.requestId,
        tenantId: letter.tenantId,
        reason: letter.reason,
      });
    }
  }

  /** Deletes written entries from the log; what is left is written again by the sweep (once, by request id). */
  async #forget(ids: string[]) {
    await this.log
      .remove(ids)
      .catch((error: unknown) =>
        this.failures.report(
          "usage_write_failed",
          "written usage records could not be deleted from the usage log; its sweep meets them again",
          { records: ids.length },
          error,
        ),
      );
  }

  /** Back off while writes fail: 1 s, 2 s, … up to 30 s. */
  #delay() {
    return this.#failures === 0 ? this.options.flushMs : Math.min(30_000, 1_000 * 2 ** (this.#failures - 1));
  }
}
