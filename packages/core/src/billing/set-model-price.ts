import { z } from "zod";
import type { DbOrTx, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";

const micros = z
  .bigint()
  .nonnegative("a price cannot be negative")
  .max(1_000_000_000_000n, "a price of at most $1,000,000");

export const setModelPriceInput = z.object({
  model: z.string().min(1, "model is required"),
  inputMicrosPer1k: micros,
  outputMicrosPer1k: micros,
  imageMicros: micros,
  /** When the price takes effect: now or later, never in the past. */
  effectiveFrom: z.date().optional(),
});
export type SetModelPriceInput = z.input<typeof setModelPriceInput>;

/** How far in the past "now" may be, for a clock a little behind. */
const CLOCK_SLACK_MS = 60_000;

/**
 * A new price version of a model: charged from `effectiveFrom` on, so past
 * charges keep the price they were made at (audited on the platform chain).
 * Gateways know an announced price ahead and apply it on its second.
 */
export async function setModelPrice(rawInput: SetModelPriceInput, ctx: ChangeContext, tx: Tx) {
  const input = setModelPriceInput.parse(rawInput);
  const effectiveFrom = input.effectiveFrom ?? new Date();
  if (effectiveFrom.getTime() < Date.now() - CLOCK_SLACK_MS) {
    throw new DomainError(
      "invalid_input",
      "A price takes effect now or later: past charges keep the price they were made at.",
    );
  }
  const model = await tx.model.findUnique({ where: { slug: input.model } });
  if (!model) throw notFound(`model "${input.model}"`);
  const clash = await tx.modelPrice.findUnique({
    where: { modelId_effectiveFrom: { modelId: model.id, effectiveFrom } },
  });
  if (clash)
    throw new DomainError("conflict", `${model.slug} already has a price from ${effectiveFrom.toISOString()}.`);
  const price = await tx.modelPrice.create({
    data: {
      id: newId("modelPrice"),
      modelId: model.id,
      inputMicrosPer1k: input.inputMicrosPer1k,
      outputMicrosPer1k: input.outputMicrosPer1k,
      imageMicros: input.imageMicros,
      effectiveFrom,
    },
  });
  await appendAuditEvent(
    {
      tenantId: null,
      action: "model.price.set",
      targetType: "model_price",
      targetId: price.id,
      metadata: {
        model: model.slug,
        inputMicrosPer1k: price.inputMicrosPer1k.toString(),
        outputMicrosPer1k: price.outputMicrosPer1k.toString(),
        imageMicros: price.imageMicros.toString(),
        effectiveFrom: effectiveFrom.toISOString(),
      },
    },
    ctx,
    tx,
  );
  return { model, price };
}

/** Every model with its price in force now and the ones announced after it. */
export async function listModelPrices(db: DbOrTx, now = new Date()) {
  const models = await db.model.findMany({
    orderBy: { slug: "asc" },
    include: { prices: { orderBy: { effectiveFrom: "desc" } } },
  });
  return models.map((model) => {
    const current = model.prices.find((price) => price.effectiveFrom <= now) ?? null;
    return {
      id: model.id,
      slug: model.slug,
      task: model.task,
      status: model.status,
      current,
      announced: model.prices.filter((price) => price.effectiveFrom > now).reverse(),
    };
  });
}
