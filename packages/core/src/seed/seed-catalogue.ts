import type { Tx } from "@aiaas/db";
import { newId } from "../ids.ts";
import { modelCatalogue } from "../models/model-catalogue.ts";
import { planCatalogue } from "./plan-catalogue.ts";

/** Creates the plans and models that are missing; never edits existing ones. */
export async function seedCatalogue(tx: Tx) {
  for (const plan of planCatalogue) {
    await tx.plan.upsert({ where: { slug: plan.slug }, update: {}, create: { id: newId("plan"), ...plan } });
  }
  for (const { price, ...model } of modelCatalogue) {
    const existing = await tx.model.findUnique({ where: { slug: model.slug }, select: { id: true } });
    if (existing) continue;
    await tx.model.create({
      data: {
        id: newId("model"),
        ...model,
        prices: { create: { id: newId("modelPrice"), ...price, effectiveFrom: new Date(0) } },
      },
    });
  }
}
