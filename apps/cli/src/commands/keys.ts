import type { Command } from "commander";
import {
  checkMasterKeys,
  mismatchRefusal,
  missingComplaint,
  rewrapDataKeys,
  rotateDataKey,
  type RewrapReport,
} from "@aiaas/core/crypto";
import { createApiKey, createApiKeyInput, listApiKeys, revokeApiKey } from "@aiaas/core/keys";
import { findTenantOrThrow } from "@aiaas/core/tenants";
import type { CliContext } from "../context.ts";
import { UsageError } from "../cli-error.ts";
import { printResult, printRows, type OutputOptions } from "../output.ts";

const list = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

function parseExpiry(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--expires: "${value}" is not a date (use e.g. 2027-01-31)`);
  return date;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
/** `mk1: 3, mk0: 1`, the largest first, at most five named. */
const byMasterKey = (counts: Record<string, number>) => {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  const named = entries.slice(0, 5).map(([id, count]) => `${id}: ${count}`);
  return [...named, ...(entries.length > 5 ? [`${entries.length - 5} more`] : [])].join(", ");
};

/** What an operator reads after a rotation: what changed, and whether the old key may go. */
function describeRotation(report: RewrapReport, retiring: string[]): string {
  const current = report.currentMasterKeyId;
  const rewrapped = Object.keys(report.rewrapped).length ? ` (${byMasterKey(report.rewrapped)})` : "";
  const lines = [
    `Re-wrapped ${plural(report.rewrappedTotal, "data key")}${rewrapped}; ${current} is now the current master key.`,
  ];
  if (report.skipped)
    lines.push(`${plural(report.skipped, "data key")} changed meanwhile (another rotation or a tenant deletion).`);
  const remaining = Object.values(report.remaining).reduce((sum, count) => sum + count, 0);
  const removable = retiring.filter((id) => !report.remaining[id]);
  if (retiring.length === 0) {
    lines.push(
      `MASTER_KEYS holds only ${current}: to rotate, put a new key first (MASTER_KEYS=new:…,${current}:…) on every process, then run this again.`,
    );
  } else if (remaining) {
    lines.push(
      `${plural(remaining, "data key")} ${remaining === 1 ? "is" : "are"} still wrapped by an old key (${byMasterKey(report.remaining)}): keep ${retiring.join(", ")} in MASTER_KEYS, make sure every process runs with ${current} first, and run this again.`,
    );
  }
  if (removable.length && remaining === 0) {
    lines.push(
      `Once every gateway and worker runs with MASTER_KEYS starting with ${current}, you may remove ${removable.join(", ")} from MASTER_KEYS.`,
    );
  }
  if (Object.keys(report.unconfigured).length) {
    lines.push(
      `Not touched: data keys wrapped by master keys missing from MASTER_KEYS (${byMasterKey(report.unconfigured)}); add those keys and run again to re-wrap them.`,
    );
  }
  return lines.join("\n");
}

export function registerKeyCommands(program: Command, context: () => CliContext) {
  const keys = program
    .command("keys")
    .description("create, list and revoke a tenant's API keys; re-wrap data keys after a master key rotation");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  keys
    .command("create")
    .description("create an API key; its secret is printed once and never again")
    .requiredOption("--tenant <tenant>", "tenant slug or id")
    .option("--name <name>", "what the key is for", "CLI key")
    .option("--env <environment>", "live or test", "live")
    .option("--scopes <list>", "comma-separated endpoint scopes (default: all)", list)
    .option("--models <list>", "comma-separated model slugs (default: all)", list)
    .option("--expires <date>", "expiry date/time (ISO 8601)")
    .action(
      async (
        options: { tenant: string; name: string; env: string; scopes?: string[]; models?: string[]; expires?: string },
        command: Command,
      ) => {
        const ctx = context();
        const keyContext = { ...ctx.change, pepper: ctx.pepper };
        const expiresAt = parseExpiry(options.expires);
        const { apiKey, secret } = await ctx.db.$transaction(async (tx) => {
          const tenant = await findTenantOrThrow(options.tenant, tx);
          const input = createApiKeyInput.parse({
            tenantId: tenant.id,
            name: options.name,
            environment: options.env,
            scopes: options.scopes,
            models: options.models,
            expiresAt,
          });
          return createApiKey(input, keyContext, tx);
        });
        printResult(
          `Created ${apiKey.id} (${apiKey.prefix}…${apiKey.last4}). Copy the secret now; it is not shown again:\n${secret}`,
          { id: apiKey.id, name: apiKey.name, tenantId: apiKey.tenantId, secret },
          output(command),
        );
      },
    );

  keys
    .command("list")
    .description("list a tenant's keys (never their secrets)")
    .requiredOption("--tenant <tenant>", "tenant slug or id")
    .action(async (options: { tenant: string }, command: Command) => {
      const { db } = context();
      const tenant = await findTenantOrThrow(options.tenant, db);
      printRows(await listApiKeys({ tenantId: tenant.id }, db), output(command), `Tenant ${tenant.slug} has no keys.`);
    });

  keys
    .command("revoke <keyId>")
    .description("revoke a key at once")
    .requiredOption("--tenant <tenant>", "tenant slug or id")
    .action(async (keyId: string, options: { tenant: string }, command: Command) => {
      const ctx = context();
      ctx.requireRedis();
      const revoked = await ctx.db.$transaction(async (tx) => {
        const tenant = await findTenantOrThrow(options.tenant, tx);
        return revokeApiKey({ tenantId: tenant.id, keyId }, ctx.change, tx);
      });
      await ctx.invalidate({ keyHash: revoked.keyHash, revoked: true });
      printResult(`Revoked ${revoked.id}.`, { id: revoked.id, revokedAt: revoked.revokedAt }, output(command));
    });

  keys
    .command("rotate-master")
    .description(
      "re-wrap every tenant data key with the current master key (the first of MASTER_KEYS); safe while serving",
    )
    .action(async (_options, command: Command) => {
      const ctx = context();
      const masterKeys = ctx.masterKeys;
      const report = await rewrapDataKeys({ masterKeys }, ctx.change, ctx.db);
      const retiring = [...masterKeys.byId.keys()].filter((id) => id !== masterKeys.current.id);
      printResult(describeRotation(report, retiring), report, output(command));
      if (report.failed.length) {
        throw new Error(
          `${plural(report.failed.length, "data key")} did not unwrap with the master key of their id (${report.failed.slice(0, 5).join(", ")}${report.failed.length > 5 ? ", …" : ""}): check MASTER_KEYS`,
        );
      }
    });

  keys
    .command("rotate-data")
    .description(
      "replace a tenant's data key now (it also rotates by age and use); the old key keeps opening what it sealed",
    )
    .requiredOption("--tenant <tenant>", "tenant slug or id")
    .action(async (options: { tenant: string }, command: Command) => {
      const ctx = context();
      const master = ctx.masterKeys.current;
      ctx.requireRedis();
      const { tenant, rotated } = await ctx.db.$transaction(async (tx) => {
        const tenant = await findTenantOrThrow(options.tenant, tx);
        return { tenant, rotated: await rotateDataKey({ tenantId: tenant.id }, ctx.change, master, tx) };
      });
      if (!rotated) {
        printResult(`Tenant ${tenant.slug} has no data key yet: its first request makes one.`, null, output(command));
        return;
      }
      // Every gateway and worker drops the tenant's cached keys: the next seal uses the new key.
      await ctx.invalidate({ tenantId: tenant.id });
      printResult(
        `Rotated the data key of ${tenant.slug}: ${rotated.active} seals from now on; ${rotated.retired} keeps opening what it sealed until retention has removed that.`,
        rotated,
        output(command),
      );
    });

  keys
    .command("verify-master")
    .description("check that MASTER_KEYS opens every stored tenant data key (one canary per master key)")
    .action(async (_options, command: Command) => {
      const ctx = context();
      const masterKeys = ctx.masterKeys;
      const report = await checkMasterKeys(ctx.db, masterKeys);
      if (report.mismatched.length) throw new Error(mismatchRefusal(report));
      if (report.missing.length) throw new Error(missingComplaint(report));
      printResult(
        `MASTER_KEYS opens every stored data key (${[...masterKeys.byId.keys()].join(", ")}).`,
        report,
        output(command),
      );
    });
}
