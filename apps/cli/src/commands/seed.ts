import type { Command } from "commander";
import { seedDemo } from "@aiaas/core/seed";
import type { CliContext } from "../context.ts";
import { paths } from "../paths.ts";
import { printResult, type OutputOptions } from "../output.ts";
import { readDemoFile, writeDemoFile } from "./demo-file.ts";
import { registerZooVersions } from "@aiaas/model-registry";

export function registerSeedCommand(program: Command, context: () => CliContext) {
  program
    .command("seed")
    .description(
      "create the catalogue (the shipped models' versions too), an operator, a demo tenant with its owner and a demo key (idempotent)",
    )
    .option("--demo-file <path>", "where the demo credentials are kept", paths.demoFile)
    .option("--tenant <slug>", "slug of the demo tenant", "demo")
    .action(async (options: { demoFile: string; tenant: string }, command: Command) => {
      const ctx = context();
      const demo = readDemoFile(options.demoFile);
      const result = await seedDemo({ ...demo, tenantSlug: options.tenant, pepper: ctx.pepper }, ctx.db);
      await registerZooVersions(ctx);
      const updated = { ...demo, apiKey: result.apiKey };
      writeDemoFile(options.demoFile, updated);
      const what = result.created.tenant ? "created the demo tenant" : "demo tenant already there";
      printResult(
        `Seeded: ${what}; credentials in ${options.demoFile}.`,
        { ...result, ...updated },
        command.optsWithGlobals<OutputOptions>(),
      );
    });
}
