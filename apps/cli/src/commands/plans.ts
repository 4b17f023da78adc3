import type { Command } from "commander";
import { createPlan, formatUsd, setPlanTerms, type PlanTermsChange } from "@aiaas/core/billing";
import { listPlans } from "@aiaas/core/quota";
import type { CliContext } from "../context.ts";
import { UsageError } from "../cli-error.ts";
import { usdFlag } from "../money-flag.ts";
import { printResult, printRows, type OutputOptions } from "../output.ts";

interface SetOptions {
  priceMonth?: string;
  included?: string;
  prepaid?: boolean;
  onSale?: boolean;
  stripePrice?: string;
  stripeMeteredPrice?: string;
}

const stripePriceFlag = (value: string | undefined) =>
  value === undefined ? undefined : value === "none" ? null : value;

export function registerPlanCommands(program: Command, context: () => CliContext) {
  const plans = program.command("plans").description("plans: their terms (limits: `quotas`)");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  plans
    .command("list")
    .description("every plan with its price, included usage, payment mode and tenants")
    .action(async (_options: unknown, command: Command) => {
      const rows = (await listPlans(context().db)).map((plan) => ({
        plan: plan.slug,
        name: plan.name,
        "per month": formatUsd(plan.priceMonthlyMicros),
        included: formatUsd(plan.includedUsageMicros),
        payment: plan.prepaid ? "prepaid" : "invoiced",
        "on sale": plan.active,
        stripe: plan.stripePriceId ?? "-",
        tenants: plan.tenants,
      }));
      printRows(rows, output(command), "No plans.");
    });

  plans
    .command("create <slug>")
    .description("a new plan, e.g. custom terms for one customer; set its limits with `quotas`-style flags after")
    .requiredOption("--name <name>", "what people see")
    .option("--price-month <usd>", "monthly fee in USD", "0")
    .option("--included <usd>", "usage included each month, in USD", "0")
    .option("--prepaid", "usage beyond the included amount is paid from credit", false)
    .action(
      async (
        slug: string,
        options: { name: string; priceMonth: string; included: string; prepaid: boolean },
        command: Command,
      ) => {
        const input = {
          slug,
          name: options.name,
          priceMonthlyMicros: usdFlag(options.priceMonth, "price-month", { allowZero: true }),
          includedUsageMicros: usdFlag(options.included, "included", { allowZero: true }),
          prepaid: options.prepaid,
        };
        const ctx = context();
        const plan = await ctx.db.$transaction((tx) => createPlan(input, ctx.change, tx));
        printResult(`Created plan ${plan.slug}; it has no limits until you set them.`, plan, output(command));
      },
    );

  plans
    .command("set <plan>")
    .description("change a plan's terms; the rest stays")
    .option("--price-month <usd>", "monthly fee in USD")
    .option("--included <usd>", "usage included each month, in USD")
    .option("--prepaid", "usage beyond the included amount is paid from credit")
    .option("--no-prepaid", "usage beyond the included amount is invoiced")
    .option("--on-sale", "offer the plan")
    .option("--no-on-sale", "stop offering the plan (its tenants keep it)")
    .option("--stripe-price <id>", "Stripe price of the subscription (price_…, or none)")
    .option("--stripe-metered-price <id>", "Stripe price of the metered usage (price_…, or none)")
    .action(async (plan: string, options: SetOptions, command: Command) => {
      const change: PlanTermsChange = {
        ...(options.priceMonth !== undefined && {
          priceMonthlyMicros: usdFlag(options.priceMonth, "price-month", { allowZero: true }),
        }),
        ...(options.included !== undefined && {
          includedUsageMicros: usdFlag(options.included, "included", { allowZero: true }),
        }),
        ...(options.prepaid !== undefined && { prepaid: options.prepaid }),
        ...(options.onSale !== undefined && { active: options.onSale }),
        ...(options.stripePrice !== undefined && { stripePriceId: stripePriceFlag(options.stripePrice) }),
        ...(options.stripeMeteredPrice !== undefined && {
          stripeMeteredPriceId: stripePriceFlag(options.stripeMeteredPrice),
        }),
      };
      if (Object.keys(change).length === 0) {
        throw new UsageError(
          "nothing to set: give at least one of --price-month, --included, --prepaid/--no-prepaid, --on-sale/--no-on-sale, --stripe-price, --stripe-metered-price",
        );
      }
      const ctx = context();
      const updated = await ctx.db.$transaction((tx) => setPlanTerms({ plan, change }, ctx.change, tx));
      printResult(`Set the terms of plan ${updated.slug}.`, updated, output(command));
    });
}
