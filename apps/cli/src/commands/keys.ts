import type { Command } from "commander";
import { createApiKey, createApiKeyInput, findTenantOrThrow, listApiKeys, revokeApiKey } from "@aiaas/core/server";
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

export function registerKeyCommands(program: Command, context: () => CliContext) {
  const keys = program.command("keys").description("create, list and revoke a tenant's API keys");
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
      await ctx.invalidate({ keyHash: revoked.keyHash });
      printResult(`Revoked ${revoked.id}.`, { id: revoked.id, revokedAt: revoked.revokedAt }, output(command));
    });
}
