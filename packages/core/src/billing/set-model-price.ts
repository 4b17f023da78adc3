import { z } from "zod";
import type { DbOrTx, Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { parseModelName } from "../models/model-name.ts";

const micros = z
  .bigint()
  .nonnegative("a price cannot be negative")
  .max(1_000_000_000_000n, "a price of at most $1,000,000");

export const setModelPriceInput = z.object({
  /** A model (`kjv-gpt-mini`), or one version of it alone (`kjv-gpt-mini@int8`). */
  model: z.string().min(1, "model is required"),
  inputMicrosPer1k: micros,
  outputMicrosPer1k: micros,
  imageMicros: micros,
  /** What a batch line (the Batches API) costs, in percent of this price: half unless said. */
  batchPercent: z.number().int().min(0, "at least 0 %").max(100, "at most 100 %").default(50),
  /** When the price takes effect: now or later, never in the past. */
  effectiveFrom: z.date().optional(),
});
export type SetModelPriceInput = z.input<typeof setModelPriceInput>;

/** How far in the past "now" may be, for a clock a little behind. */
const CLOCK_SLACK_MS = 60_000;

/** The model, and the version when the name pins one: a version's own price outranks its model's. */
async function pricedTarget(name: string, tx: Tx) {
  const parsed = parseModelName(name);
  if (parsed && parsed.alias !== undefined && parsed.alias !== "default")
    throw new DomainError(
      "invalid_input",
      `${name} is an alias, which moves between versions: price the version it points at (${parsed.slug}@<version>).`,
    );
  const model = parsed && (await tx.model.findUnique({ where: { slug: parsed.slug } }));
  if (!parsed || !model) throw notFound(`model "${name}"`);
  if (parsed.version === undefined) return { model, version: null };
  const version = await tx.modelVersion.findUnique({
    where: { modelId_version: { modelId: model.id, version: parsed.version } },
    select: { id: true, version: true },
  });
  if (!version) throw notFound(`version "${parsed.version}" of ${model.slug}`);
  return { model, version };
}

/**
 * A new price of a model, or of one version of it: charged from
 * `effectiveFrom` on, so past charges keep the price they were made at
 * (audited on the platform chain). Gateways know an announced price ahead
 * and apply it on its second.
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
  const { model, version } = await pricedTarget(input.model, tx);
  const clash = await tx.modelPrice.findFirst({
    where: { modelId: model.id, modelVersionId: version?.id ?? null, effectiveFrom },
  });
  if (clash)
    throw new DomainError("conflict", `${input.model} already has a price from ${effectiveFrom.toISOString()}.`);
  const price = await tx.modelPrice.create({
    data: {
      id: newId("modelPrice"),
      modelId: model.id,
      modelVersionId: version?.id ?? null,
      inputMicrosPer1k: input.inputMicrosPer1k,
      outputMicrosPer1k: input.outputMicrosPer1k,
      imageMicros: input.imageMicros,
      batchPercent: input.batchPercent,
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
        ...(version && { version: version.version }),
        inputMicrosPer1k: price.inputMicrosPer1k.toString(),
        outputMicrosPer1k: price.outputMicrosPer1k.toString(),
        imageMicros: price.imageMicros.toString(),
        batchPercent: price.batchPercent,
        effectiveFrom: effectiveFrom.toISOString(),
      },
    },
    ctx,
    tx,
  );
  return { model, price };
}

/**
 * Every model with its price in force now and the ones announced after it,
 * each followed by its versions that have prices of their own (named
 * `id@version`).
 */
export async function listModelPrices(db: DbOrTx, now = new Date()) {
  const models = await db.model.findMany({
    orderBy: { slug: "asc" },
    include: { prices: { orderBy: { effectiveFrom: "desc" } }, versions: { select: { id: true, version: true } } },
  });
  const inForce = <T extends { effectiveFrom: Date }>(prices: T[]) => {
    const current = prices.find((price) => price.effectiveFrom <= now) ?? null;
    return { current, announced: prices.filter((price) => price.effectiveFrom > now).reverse() };
  };
  return models.flatMap((model) => {
    const own = model.prices.filter((price) => price.modelVersionId === null);
    const versions = model.versions.flatMap((version) => {
      const prices = model.prices.filter((price) => price.modelVersionId === version.id);
      if (prices.length === 0) return [];
      const { current, announced } = inForce(prices);
      return [
        {
          id: version.id,
          slug: `${model.slug}@${version.version}`,
          task: model.task,
          status: model.status,
          current,
          announced,
        },
      ];
    });
    const { current, announced } = inForce(own);
    return [
      { id: model.id, slug: model.slug, task: model.task, status: model.status, current, announced },
      ...versions,
    ];
  });
}
