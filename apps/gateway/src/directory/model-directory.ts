import { LRUCache } from "lru-cache";
import type { Db, ModelTask, PromptRetention } from "@aiaas/db";
import { tenantLimits, type LimitSet } from "@aiaas/core/server";

export interface ServedModel {
  id: string;
  slug: string;
  task: ModelTask;
  ownedBy: string;
  /** Unix seconds, as OpenAI's `created`. */
  created: number;
  restricted: boolean;
  /** Longest prompt plus answer, in tokens, where the model has one. */
  contextLength: number | null;
  /** The price in force now, in micro-units. */
  price: { inputMicrosPer1k: bigint; outputMicrosPer1k: bigint; imageMicros: bigint };
}

export interface TenantSettings {
  retention: PromptRetention;
  /** Restricted models granted to the tenant. */
  granted: ReadonlySet<string>;
  /** The plan's limits with the operator's overrides. */
  limits: LimitSet;
}

const limitColumns = {
  limitRpm: true,
  limitTpm: true,
  limitRpd: true,
  limitConcurrent: true,
  limitBudgetMicros: true,
  limitBudgetPeriod: true,
} as const;

const zeroPrice = { inputMicrosPer1k: 0n, outputMicrosPer1k: 0n, imageMicros: 0n };

/**
 * The active models with their current prices, and per tenant its
 * retention and grants, cached for a few seconds: these change rarely and
 * the hot path must not query Postgres for them.
 */
export class ModelDirectory {
  #models: { at: number; bySlug: Map<string, ServedModel> } | undefined;
  readonly #tenants: LRUCache<string, TenantSettings>;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 10_000,
  ) {
    this.#tenants = new LRUCache({ max: 50_000, ttl: ttlMs });
  }

  async models(now = Date.now()): Promise<Map<string, ServedModel>> {
    if (this.#models && now - this.#models.at < this.ttlMs) return this.#models.bySlug;
    const rows = await this.db.model.findMany({
      where: { status: "active" },
      orderBy: { slug: "asc" },
      include: {
        prices: { where: { effectiveFrom: { lte: new Date(now) } }, orderBy: { effectiveFrom: "desc" }, take: 1 },
      },
    });
    const bySlug = new Map(
      rows.map((row) => [
        row.slug,
        {
          id: row.id,
          slug: row.slug,
          task: row.task,
          ownedBy: row.ownedBy,
          created: Math.floor(row.createdAt.getTime() / 1000),
          restricted: row.restricted,
          contextLength: row.contextLength,
          price: row.prices[0] ?? zeroPrice,
        } satisfies ServedModel,
      ]),
    );
    this.#models = { at: now, bySlug };
    return bySlug;
  }

  async tenant(tenantId: string): Promise<TenantSettings> {
    const cached = this.#tenants.get(tenantId);
    if (cached) return cached;
    const row = await this.db.tenant.findUnique({
      where: { id: tenantId },
      select: {
        retention: true,
        modelAccess: { where: { enabled: true }, select: { model: { select: { slug: true } } } },
        plan: { select: limitColumns },
        quotaOverride: { select: limitColumns },
      },
    });
    const settings: TenantSettings = {
      retention: row?.retention ?? "none",
      granted: new Set(row?.modelAccess.map((access) => access.model.slug) ?? []),
      limits: tenantLimits(row?.plan ?? null, row?.quotaOverride ?? null),
    };
    this.#tenants.set(tenantId, settings);
    return settings;
  }
}
