import type { Command } from "commander";
import { cancelBatchAudited, listBatches } from "@aiaas/core/batches";
import { findTenantOrThrow } from "@aiaas/core/tenants";
import type { CliContext } from "../context.ts";
import { printResult, printRows, type OutputOptions } from "../output.ts";

/** A batch's progress as the CLI prints it: `412/1000 ######----`. */
const bar = (done: number, total: number, width = 20) => {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${done}/${total} ${"#".repeat(filled)}${"-".repeat(width - filled)}`;
};

export function registerBatchCommands(program: Command, context: () => CliContext) {
  const batches = program.command("batches").description("a tenant's batches (the Batches API)");
  batches
    .command("list")
    .description("list a tenant's batches with their progress, newest first")
    .requiredOption("--tenant <tenant>", "tenant slug or id")
    .option("--limit <n>", "how many", (value) => Number.parseInt(value, 10), 20)
    .action(async (options: { tenant: string; limit: number }, command: Command) => {
      const { db } = context();
      const tenant = await findTenantOrThrow(options.tenant, db);
      const rows = (await listBatches({ tenantId: tenant.id, limit: options.limit }, db)).map((batch) => ({
        id: batch.id,
        endpoint: batch.endpoint,
        status: batch.status,
        progress: bar(batch.done, batch.total),
        failed: batch.failed,
        output: batch.outputFileId ?? "",
        errors: batch.errorFileId ?? "",
        createdAt: batch.createdAt,
      }));
      printRows(rows, command.optsWithGlobals<OutputOptions>(), `Tenant ${tenant.slug} has no batches.`);
    });
  batches
    .command("cancel <batchId>")
    .description("stop a running batch: lines in flight finish, what ran is kept (audited)")
    .requiredOption("--tenant <tenant>", "tenant slug or id")
    .action(async (batchId: string, options: { tenant: string }, command: Command) => {
      const ctx = context();
      const cancelled = await ctx.db.$transaction(async (tx) => {
        const tenant = await findTenantOrThrow(options.tenant, tx);
        return cancelBatchAudited({ tenantId: tenant.id, batchId }, ctx.change, tx);
      });
      printResult(`${cancelled.id} is ${cancelled.status}.`, cancelled, command.optsWithGlobals<OutputOptions>());
    });
}
