import type { Command } from "commander";
import { formatPerMillionTokens, formatUsd, listModelPrices, setModelPrice } from "@aiaas/core/billing";
import type { CliContext } from "../context.ts";
import { UsageError } from "../cli-error.ts";
import { usdFlag } from "../money-flag.ts";
import { printResult, printRows, type OutputOptions } from "../output.ts";

export function registerPriceCommands(program: Command, context: () => CliContext) {
  const prices = program.command("prices").description("model prices: in force now and announced");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  prices
    .command("list")
    .description("every model's price in force and any announced")
    .action(async (_options: unknown, command: Command) => {
      const rows = (await listModelPrices(context().db)).flatMap((model) =>
        [model.current, ...model.announced].flatMap((price) =>
          price
            ? [
                {
                  model: model.slug,
                  from: price.effectiveFrom,
                  input: formatPerMillionTokens(price.inputMicrosPer1k),
                  output: formatPerMillionTokens(price.outputMicrosPer1k),
                  image: formatUsd(price.imageMicros),
                  state: price === model.current ? "in force" : "announced",
                },
              ]
            : [],
        ),
      );
      printRows(rows, output(command), "No models.");
    });

  prices
    .command("set")
    .description("announce a model's new price, from now or --from; past charges keep theirs")
    .requiredOption("--model <slug>", "the model")
    .option("--input-per-1k <usd>", "USD per 1,000 input tokens", "0")
    .option("--output-per-1k <usd>", "USD per 1,000 output tokens", "0")
    .option("--image <usd>", "USD per image", "0")
    .option("--batch-percent <n>", "what a batch line costs, in percent of this price", "50")
    .option("--from <when>", "when it takes effect (ISO 8601, e.g. 2027-01-01T00:00:00Z); now if omitted")
    .action(
      async (
        options: {
          model: string;
          inputPer1k: string;
          outputPer1k: string;
          image: string;
          batchPercent: string;
          from?: string;
        },
        command: Command,
      ) => {
        const effectiveFrom = options.from ? new Date(options.from) : undefined;
        if (effectiveFrom && Number.isNaN(effectiveFrom.getTime())) {
          throw new UsageError(`--from: "${options.from}" is not a date and time, e.g. 2027-01-01T00:00:00Z`);
        }
        const input = {
          model: options.model,
          inputMicrosPer1k: usdFlag(options.inputPer1k, "input-per-1k", { allowZero: true }),
          outputMicrosPer1k: usdFlag(options.outputPer1k, "output-per-1k", { allowZero: true }),
          imageMicros: usdFlag(options.image, "image", { allowZero: true }),
          batchPercent: Number(options.batchPercent),
          effectiveFrom,
        };
        if (!Number.isInteger(input.batchPercent) || input.batchPercent < 0 || input.batchPercent > 100)
          throw new UsageError(`--batch-percent: "${options.batchPercent}" is not a whole number from 0 to 100`);
        const ctx = context();
        const { price } = await ctx.db.$transaction((tx) => setModelPrice(input, ctx.change, tx));
        printResult(
          `${options.model}: new price from ${price.effectiveFrom.toISOString()}; gateways apply it on that second.`,
          price,
          output(command),
        );
      },
    );
}
