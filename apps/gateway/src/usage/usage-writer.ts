import { Prisma, type Db } from "@aiaas/db";
import { newId, utcDayKey } from "@aiaas/core/platform";
import { describeRecord, type UsageRecord } from "./usage-record.ts";

/** A record that cannot be written as it is, and why. */
export interface DeadLetter {
  requestId: string;
  tenantId: string;
  reason: string;
  /** What to keep of it (never its sealed prompt or answer). */
  record: object;
}

/** The SQLSTATE of a failed query (Prisma's driver adapter keeps Postgres's code). */
function sqlState(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether a failed write is the records' own doing: a data exception (22)
 * or a broken constraint (23, e.g. its tenant deleted meanwhile). Anything
 * else (Postgres away, a deadlock, a timeout) is the moment's, and passes.
 */
const isRecordsFault = (error: unknown) => /^2[23]/.test(sqlState(error) ?? "");

const reasonOf = (error: unknown) => {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } } }).meta
    ?.driverAdapterError?.cause?.originalMessage;
  return `${sqlState(error) ?? "error"}: ${typeof cause === "string" ? cause : (error as Error).message}`;
};

/**
 * Writes usage records to Postgres: the request rows, their usage events,
 * the ledger's usage charges and the daily roll-up, one transaction per
 * batch, each request once (its id is unique everywhere, so a record
 * written twice counts once). A batch that a record of its own spoils is
 * written record by record, and the spoilt ones become dead letters.
 * Throws when Postgres itself fails: the caller tries again later.
 */
export class UsageWriter {
  constructor(private readonly db: Db) {}

  async write(batch: UsageRecord[]): Promise<{ dead: DeadLetter[] }> {
    // One order for every writer: concurrent batches take their row locks alike and never deadlock.
    const sorted = [...batch].sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
    try {
      await this.#insert(sorted);
      return { dead: [] };
    } catch (error) {
      if (!isRecordsFault(error)) throw error;
    }
    const dead: DeadLetter[] = [];
    for (const record of sorted) {
      try {
        await this.#insert([record]);
      } catch (error) {
        if (!isRecordsFault(error)) throw error;
        dead.push({
          requestId: record.requestId,
          tenantId: record.tenantId,
          reason: reasonOf(error),
          record: describeRecord(record),
        });
      }
    }
    await this.deadLetter(dead);
    return { dead };
  }

  /** Keeps what cannot be written, with the reason, for operators. */
  async deadLetter(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.db.usageDeadLetter.createMany({
      data: letters.map((letter) => ({
        id: newId("usageDeadLetter"),
        requestId: letter.requestId,
        tenantId: letter.tenantId,
        reason: letter.reason.slice(0, 1000),
        record: letter.record,
      })),
    });
  }

  // Raw SQL: Prisma's createMany cost ~0.5 ms of gateway CPU per row (query compiler), this a few µs.
  async #insert(batch: UsageRecord[]) {
    const finishedAt = new Date();
    await this.db.$transaction(async (tx) => {
      await tx.$executeRaw`
        INSERT INTO requests (id, tenant_id, api_key_id, model_id, model_version_id, endpoint, status, stream, idempotency_key, body_hash,
          end_user, error_code, input_tokens, output_tokens, images, queue_ms, inference_ms, total_ms, created_at, started_at,
          finished_at, prompt_ciphertext, response_ciphertext, data_key_id, purge_after)
        VALUES ${Prisma.join(
          batch.map(
            (entry) =>
              Prisma.sql`(${entry.requestId}, ${entry.tenantId}, ${entry.apiKeyId}, ${entry.modelId}, ${entry.modelVersionId}, ${entry.endpoint},
                ${entry.status}::request_status, ${entry.stream}, ${entry.idempotencyKey}, ${entry.bodyHash},
                ${entry.endUser ?? null}, ${entry.errorCode}, ${entry.inputTokens}, ${entry.outputTokens}, ${entry.images}, ${entry.queueMs},
                ${entry.inferenceMs}, ${entry.totalMs}, ${entry.createdAt}, ${entry.createdAt}, ${entry.finishedAt},
                ${entry.stored?.prompt ?? null}, ${entry.stored?.response ?? null}, ${entry.stored?.dataKeyId ?? null},
                ${entry.stored?.purgeAfter ?? null})`,
          ),
        )}
        ON CONFLICT (id) DO NOTHING`;
      const inserted = await tx.$queryRaw<{ request_id: string }[]>`
        INSERT INTO usage_events (id, tenant_id, api_key_id, model_id, model_version_id, request_id, endpoint, status, input_tokens,
          output_tokens, images, cost_micros, queue_ms, inference_ms, total_ms, occurred_at)
        VALUES ${Prisma.join(
          batch.map(
            (entry) =>
              Prisma.sql`(${newId("usageEvent")}, ${entry.tenantId}, ${entry.apiKeyId}, ${entry.modelId},
                ${entry.modelVersionId}, ${entry.requestId}, ${entry.endpoint}, ${entry.status}::request_status, ${entry.inputTokens},
                ${entry.outputTokens}, ${entry.images}, ${entry.costMicros}, ${entry.queueMs}, ${entry.inferenceMs},
                ${entry.totalMs}, ${entry.finishedAt})`,
          ),
        )}
        ON CONFLICT (request_id) DO NOTHING
        RETURNING request_id`;
      // Roll up only what was newly recorded, so a replayed batch never counts twice.
      const fresh = new Set(inserted.map((row) => row.request_id));
      const freshEntries = batch.filter((entry) => fresh.has(entry.requestId));
      if (freshEntries.length > 0) {
        // The ledger: one priced charge per request, the request id unique, so nothing is charged twice.
        await tx.$executeRaw`
          INSERT INTO ledger_entries (id, tenant_id, kind, amount_micros, request_id, model_price_id, occurred_at)
          VALUES ${Prisma.join(
            freshEntries.map(
              (entry) =>
                Prisma.sql`(${newId("ledgerEntry")}, ${entry.tenantId}, 'usage'::ledger_kind, ${entry.costMicros},
                  ${entry.requestId}, ${entry.priceId}, ${entry.finishedAt})`,
            ),
          )}
          ON CONFLICT (request_id) DO NOTHING`;
      }
      const rollUp = rollUpDaily(freshEntries);
      if (rollUp.length > 0) {
        await tx.$executeRaw`
          INSERT INTO usage_daily (id, tenant_id, day, api_key_id, model_id, requests, errors, input_tokens, output_tokens, images, cost_micros, updated_at)
          VALUES ${Prisma.join(
            rollUp.map(
              (row) =>
                Prisma.sql`(${newId("usageDaily")}, ${row.tenantId}, ${row.day}::date, ${row.apiKeyId}, ${row.modelId}, ${row.requests}, ${row.errors}, ${row.inputTokens}, ${row.outputTokens}, ${row.images}, ${row.costMicros}, ${finishedAt})`,
            ),
          )}
          ON CONFLICT (tenant_id, day, api_key_id, model_id) DO UPDATE SET
            requests = usage_daily.requests + EXCLUDED.requests,
            errors = usage_daily.errors + EXCLUDED.errors,
            input_tokens = usage_daily.input_tokens + EXCLUDED.input_tokens,
            output_tokens = usage_daily.output_tokens + EXCLUDED.output_tokens,
            images = usage_daily.images + EXCLUDED.images,
            cost_micros = usage_daily.cost_micros + EXCLUDED.cost_micros,
            updated_at = EXCLUDED.updated_at`;
      }
      const keys = [...new Set(batch.map((entry) => entry.apiKeyId))].sort();
      await tx.$executeRaw`UPDATE api_keys SET last_used_at = ${finishedAt} WHERE id = ANY(${keys})`;
    });
  }
}

interface DailyRow {
  tenantId: string;
  day: string;
  apiKeyId: string;
  modelId: string;
  requests: number;
  errors: number;
  inputTokens: bigint;
  outputTokens: bigint;
  images: number;
  costMicros: bigint;
}

function rollUpDaily(batch: UsageRecord[]): DailyRow[] {
  const rows = new Map<string, DailyRow>();
  for (const entry of batch) {
    const day = utcDayKey(entry.finishedAt);
    const id = `${entry.tenantId}|${day}|${entry.apiKeyId}|${entry.modelId}`;
    let row = rows.get(id);
    if (!row) {
      row = {
        tenantId: entry.tenantId,
        day,
        apiKeyId: entry.apiKeyId,
        modelId: entry.modelId,
        requests: 0,
        errors: 0,
        inputTokens: 0n,
        outputTokens: 0n,
        images: 0,
        costMicros: 0n,
      };
      rows.set(id, row);
    }
    row.requests += 1;
    if (entry.status !== "succeeded") row.errors += 1;
    row.inputTokens += BigInt(entry.inputTokens);
    row.outputTokens += BigInt(entry.outputTokens);
    row.images += entry.images;
    row.costMicros += entry.costMicros;
  }
  // Sorted like the batch: every writer locks roll-up rows in one order.
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
}
