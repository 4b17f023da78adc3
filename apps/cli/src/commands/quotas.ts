import type { Command } from "commander";
import { formatUsd } from "@aiaas/core/billing";
import { invalidateAuthCache } from "@aiaas/core/keys";
import {
  QuotaGate,
  hasLimits,
  limitMeters,
  loadTenantQuota,
  meterTenantQuota,
  setKeyLimits,
  setTenantQuota,
  type LimitMeter,
  type LimitsChange,
} from "@aiaas/core/quota";
import { findTenantOrThrow } from "@aiaas/core/tenants";
import type { CliContext } from "../context.ts";
import { UsageError } from "../cli-error.ts";
import { usdFlag } from "../money-flag.ts";
import { printResult, printRows, type OutputOptions } from "../output.ts";

interface SetOptions {
  tenant: string;
  key?: string;
  rpm?: string;
  tpm?: string;
  rpd?: string;
  concurrent?: string;
  budgetDay?: string;
  budgetMonth?: string;
  clear?: string[];
  reason?: string;
}

const limitNames = ["rpm", "tpm", "rpd", "concurrent", "budget"] as const;

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new UsageError(`--${flag}: "${value}" is not a positive whole number`);
  return parsed;
}

/** The flags as a change: values set, `--clear` names limits to remove, the rest stays. */
function changeOf(options: SetOptions): LimitsChange {
  if (options.budgetDay && options.budgetMonth) throw new UsageError("give --budget-day or --budget-month, not both");
  const change: LimitsChange = {
    rpm: count(options.rpm, "rpm"),
    tpm: count(options.tpm, "tpm"),
    rpd: count(options.rpd, "rpd"),
    concurrent: count(options.concurrent, "concurrent"),
  };
  if (options.budgetDay)
    Object.assign(change, { budgetMicros: usdFlag(options.budgetDay, "budget-day"), budgetPeriod: "day" });
  if (options.budgetMonth)
    Object.assign(change, { budgetMicros: usdFlag(options.budgetMonth, "budget-month"), budgetPeriod: "month" });
  for (const name of options.clear ?? []) {
    if (!(limitNames as readonly string[]).includes(name)) {
      throw new UsageError(`--clear: "${name}" is not a limit (${limitNames.join(", ")})`);
    }
    if (name === "budget") Object.assign(change, { budgetMicros: null, budgetPeriod: null });
    else Object.assign(change, { [name]: null });
  }
  if (Object.values(change).every((value) => value === undefined)) {
    throw new UsageError(
      "nothing to set: give at least one of --rpm, --tpm, --rpd, --concurrent, --budget-day, --budget-month, --clear",
    );
  }
  return change;
}

/** One row per limit: its value and, where Redis answers, what is used of it now. */
function limitRows(scope: string, meters: LimitMeter[]) {
  const shown = (meter: LimitMeter, value: number | null, none: string) =>
    value === null ? none : meter.unit === "micros" ? formatUsd(BigInt(value)) : value;
  return meters.map((meter) => ({
    scope,
    limit: meter.label.toLowerCase(),
    value: shown(meter, meter.limit, "unlimited"),
    used: shown(meter, meter.used, "-"),
  }));
}

export function registerQuotaCommands(program: Command, context: () => CliContext) {
  const quotas = program.command("quotas").description("show and set a tenant's or a key's limits and budgets");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  quotas
    .command("show")
    .description("a tenant's limits (plan and override) and its keys', with what is used now")
    .requiredOption("--tenant <tenant>", "slug or id")
    .option("--key <keyId>", "only this key")
    .action(async (options: { tenant: string; key?: string }, command: Command) => {
      const ctx = context();
      const tenant = await findTenantOrThrow(options.tenant, ctx.db);
      const quota = await loadTenantQuota(ctx.db, tenant.id, { keyId: options.key });
      if (options.key && quota.keys.length === 0)
        throw new UsageError(`no active key ${options.key} in tenant ${tenant.slug}`);
      const gate = ctx.env.REDIS_URL ? new QuotaGate(ctx.requireRedis(), ctx.env.QUEUE_PREFIX) : null;
      const metered = gate ? await meterTenantQuota(gate, quota) : null;
      const tenantLabel = `tenant ${tenant.slug} (${quota.plan?.slug ?? "no plan"}${quota.override ? ", overridden" : ""})`;
      const rows = [
        ...limitRows(tenantLabel, metered?.tenant.meters ?? limitMeters(quota.tenant.limits, null)),
        ...quota.keys.flatMap((key, i) =>
          hasLimits(key.scope.limits)
            ? limitRows(`key ${key.id}`, metered?.keys[i]?.meters ?? limitMeters(key.scope.limits, null))
            : [],
        ),
      ];
      printRows(rows, output(command), "No limits.");
    });

  quotas
    .command("set")
    .description("override a tenant's plan limits, or set a key's (within the tenant's)")
    .requiredOption("--tenant <tenant>", "slug or id")
    .option("--key <keyId>", "set this key's limits instead of the tenant's")
    .option("--rpm <n>", "requests per minute")
    .option("--tpm <n>", "tokens per minute")
    .option("--rpd <n>", "requests per day (UTC)")
    .option("--concurrent <n>", "requests in flight")
    .option("--budget-day <usd>", "spend per UTC day, in USD")
    .option("--budget-month <usd>", "spend per calendar month, in USD")
    .option("--clear <limits...>", "remove limits: rpm tpm rpd concurrent budget")
    .option("--reason <text>", "why (recorded in the audit log)")
    .action(async (options: SetOptions, command: Command) => {
      const ctx = context();
      const change = changeOf(options);
      const tenant = await findTenantOrThrow(options.tenant, ctx.db);
      if (options.key) {
        const keyId = options.key;
        ctx.requireRedis();
        const result = await ctx.db.$transaction((tx) =>
          setKeyLimits({ tenantId: tenant.id, keyId, change }, ctx.change, tx),
        );
        await invalidateAuthCache(ctx.requireRedis(), { keyHash: result.keyHash });
        printResult(`Set the limits of key ${keyId}.`, { keyId, limits: result.limits }, output(command));
        return;
      }
      const { override } = await ctx.db.$transaction((tx) =>
        setTenantQuota({ tenant: tenant.id, change, reason: options.reason }, ctx.change, tx),
      );
      printResult(
        `Set the limits of tenant ${tenant.slug}; gateways apply them within 10 s.`,
        override,
        output(command),
      );
    });
}
