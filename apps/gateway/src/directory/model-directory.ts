import { LRUCache } from "lru-cache";
import { loadOnce, loadOrStale, tenantBoundDb, type Db, type ModelTask, type PromptRetention } from "@aiaas/db";
import { accountStatement, includedUsageOf, type UnitPrices } from "@aiaas/core/billing";
import { tenantLimits, type LimitSet } from "@aiaas/core/quota";

/** One version of a model's price; `id` null for a model that has never been priced (free). */
export interface PriceVersion extends UnitPrices {
  id: string | null;
  effectiveFrom: Date;
  /** A batch line costs this percentage of the price (50 unless the operator set another). */
  batchPercent: number;
}

/** A version of a model that requests may reach: through an alias, or pinned (`id@version`). */
export interface ServedVersion {
  id: string;
  name: string;
  /** The SHA-256 of its files: what a job asks a worker for. */
  sha256: string;
  /** Its own prices (current and announced, newest first); empty: the model's apply. */
  prices: PriceVersion[];
}

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
  /** The price in force when the directory was read and any announced after it, newest first, in micro-units. */
  prices: PriceVersion[];
  /** Its versions still served, by name. */
  versions: Map<string, ServedVersion>;
  /** Its aliases (`default` is the bare id) and the version each points at. */
  aliases: Map<string, ServedVersion>;
}

/**
 * A model as one request uses it: under the name it was asked for, on the
 * version that name points at (none for a model registered before versions),
 * with the price in force when the request came in (`pricedAt`, its recorded start).
 */
export type PricedModel = ServedModel & {
  name: string;
  version: ServedVersion | null;
  price: PriceVersion;
  pricedAt: Date;
};

const unpriced: PriceVersion = {
  id: null,
  effectiveFrom: new Date(0),
  inputMicrosPer1k: 0n,
  outputMicrosPer1k: 0n,
  imageMicros: 0n,
  batchPercent: 50,
};

/**
 * The price in force at `at`: the version's own if it has one, else the
 * model's. A change announced ahead takes effect on its second, not at the
 * next refresh.
 */
export function priceAt(model: ServedModel, at: Date, version?: ServedVersion | null): PriceVersion {
  const prices = version && version.prices.length > 0 ? version.prices : model.prices;
  return prices.find((price) => price.effectiveFrom <= at) ?? unpriced;
}

export interface TenantSettings {
  retention: PromptRetention;
  /** Restricted models granted to the tenant. */
  granted: ReadonlySet<string>;
  /**
   * The plan's limits with the operator's overrides; the default plan's while
   * payments have failed; for a prepaid plan, a monthly budget of the included
   * usage plus the credit left.
   */
  limits: LimitSet;
  prepaid: boolean;
}

const limitColumns = {
  limitRpm: true,
  limitTpm: true,
  limitRpd: true,
  limitConcurrent: true,
  limitBudgetMicros: true,
  limitBudgetPeriod: true,
} as const;

/** Drops the versions older than the one in force at `now`. */
function currentAndAnnounced(prices: PriceVersion[], now: Date): PriceVersion[] {
  const current = prices.findIndex((price) => price.effectiveFrom <= now);
  return current === -1 ? prices : prices.slice(0, current + 1);
}

/**
 * The active models with their current prices, and per tenant its
 * retention and grants, cached for a few seconds: these change rarely and
 * the hot path must not query Postgres for them. While Postgres is out of
 * reach, the last ones loaded stand.
 */
export class ModelDirectory {
  #models: { at: number; bySlug: Map<string, ServedModel> } | undefined;
  readonly #tenants: LRUCache<string, TenantSettings>;
  /** Loads under way: a burst of one tenant's requests reads Postgres once. */
  readonly #loading = new Map<string, Promise<TenantSettings>>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 10_000,
    /** The catalogue is read more often: a promoted version takes the traffic within this. */
    private readonly modelsTtlMs = 2_000,
  ) {
    // An expired entry stays until replaced: it is served while Postgres is out of reach.
    this.#tenants = new LRUCache({ max: 50_000, ttl: ttlMs, noDeleteOnStaleGet: true });
  }

  /** Whether `slug` names a model this directory has read (no I/O: for labels, which must stay few). */
  knows(slug: string): boolean {
    return this.#models?.bySlug.has(slug) ?? false;
  }

  async models(now = Date.now()): Promise<Map<string, ServedModel>> {
    if (this.#models && now - this.#models.at < this.modelsTtlMs) return this.#models.bySlug;
    const last = this.#models?.bySlug;
    return loadOrStale(
      () => this.#loadModels(now),
      () => last,
    );
  }

  async #loadModels(now: number): Promise<Map<string, ServedModel>> {
    const rows = await this.db.model.findMany({
      where: { status: "active" },
      orderBy: { slug: "asc" },
      include: {
        prices: { orderBy: { effectiveFrom: "desc" } },
        versions: { where: { status: "active" }, select: { id: true, version: true, sha256: true } },
        aliases: { select: { alias: true, versionId: true } },
      },
    });
    const at = new Date(now);
    const bySlug = new Map(
      rows.map((row) => {
        const pricesOf = (versionId: string | null) =>
          currentAndAnnounced(
            row.prices.filter((price) => price.modelVersionId === versionId),
            at,
          );
        const versions = row.versions.map((version): ServedVersion => ({
          id: version.id,
          name: version.version,
          sha256: version.sha256,
          prices: pricesOf(version.id),
        }));
        const byId = new Map(versions.map((version) => [version.id, version]));
        return [
          row.slug,
          {
            id: row.id,
            slug: row.slug,
            task: row.task,
            ownedBy: row.ownedBy,
            created: Math.floor(row.createdAt.getTime() / 1000),
            restricted: row.restricted,
            contextLength: row.contextLength,
            prices: pricesOf(null),
            versions: new Map(versions.map((version) => [version.name, version])),
            // An alias at a retired version points nowhere (retiring refuses that; a forced database edit would not).
            aliases: new Map(
              row.aliases.flatMap((alias) => {
                const version = byId.get(alias.versionId);
                return version ? [[alias.alias, version] as const] : [];
              }),
            ),
          } satisfies ServedModel,
        ];
      }),
    );
    this.#models = { at: now, bySlug };
    return bySlug;
  }

  async tenant(tenantId: string): Promise<TenantSettings> {
    const cached = this.#tenants.get(tenantId);
    if (cached) return cached;
    return loadOnce(this.#loading, tenantId, () =>
      loadOrStale(
        () => this.#loadTenant(tenantId),
        () => this.#tenants.get(tenantId, { allowStale: true }),
      ),
    );
  }

  async #loadTenant(tenantId: string): Promise<TenantSettings> {
    // Read as the tenant (row-level security): its own rows and the shared catalogue, nothing of another's.
    const db = tenantBoundDb(this.db, tenantId);
    const row = await db.tenant.findUnique({
      where: { id: tenantId },
      select: {
        retention: true,
        modelAccess: { where: { enabled: true }, select: { model: { select: { slug: true } } } },
        freeAllowance: true,
        plan: { select: { ...limitColumns, prepaid: true, includedUsageMicros: true, priceMonthlyMicros: true } },
        quotaOverride: { select: limitColumns },
        billingAccount: { select: { paymentStatus: true } },
      },
    });
    const limited = row?.billingAccount?.paymentStatus === "limited";
    const plan = limited
      ? await db.plan.findFirst({ where: { isDefault: true }, select: limitColumns })
      : (row?.plan ?? null);
    let limits = tenantLimits(plan, row?.quotaOverride ?? null);
    const prepaid = !limited && row?.plan?.prepaid === true;
    if (prepaid && row?.plan)
      limits = await prepaidLimits(db, tenantId, limits, includedUsageOf(row), row.quotaOverride);
    const settings: TenantSettings = {
      retention: row?.retention ?? "none",
      granted: new Set(row?.modelAccess.map((access) => access.model.slug) ?? []),
      limits,
      prepaid,
    };
    this.#tenants.set(tenantId, settings);
    return settings;
  }
}

/** A prepaid tenant spends, each month, its included usage and the credit it has left: never more. */
async function prepaidLimits(
  db: Db,
  tenantId: string,
  limits: LimitSet,
  includedUsageMicros: bigint,
  override: { limitBudgetMicros: bigint | null } | null,
): Promise<LimitSet> {
  const month = (await accountStatement(db, { tenantId, includedUsageMicros })).at(-1);
  const credit = month ? month.balanceMicros + month.creditsAppliedMicros - month.subscriptionMicros : 0n;
  const allowance = includedUsageMicros + (credit > 0n ? credit : 0n);
  const cap = override?.limitBudgetMicros ?? null;
  return { ...limits, budgetMicros: cap !== null && cap < allowance ? cap : allowance, budgetPeriod: "month" };
}
