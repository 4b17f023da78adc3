import Stripe from "stripe";
import type { Db } from "@aiaas/db";
import { newId } from "../../ids.ts";
import type { StripeClient } from "./stripe-client.ts";

/** The Stripe Billing Meter our usage is reported to: its value is micro-dollars of usage. */
export const USAGE_METER_EVENT = "aiaas_usage_micros";

interface PendingReport {
  id: string;
  valueMicros: bigint;
  createdAt: Date;
  customer: string;
}

/**
 * Reports every unreported usage charge of tenants with a Stripe customer to
 * Billing Meters. Charges are first grouped into a report row in Postgres
 * (the ledger entries point at it); the report's id is the meter event's
 * identifier, so sending it again after a crash is refused by Stripe as a
 * repeat and no unit is reported twice. Each run first resends the reports
 * a previous run made but did not see accepted, so it resumes where it stopped.
 */
export async function reportUsageToStripe(
  db: Db,
  stripe: StripeClient,
  { eventName = USAGE_METER_EVENT, batchSize = 1000 } = {},
): Promise<{ reports: number; micros: bigint }> {
  let reports = 0;
  let micros = 0n;
  const sendAll = async (pending: PendingReport[]) => {
    for (const report of pending) {
      await send(db, stripe, report, eventName);
      reports++;
      micros += report.valueMicros;
    }
  };
  await sendAll(await unsent(db));
  const accounts = await db.billingAccount.findMany({
    where: { stripeCustomerId: { not: null } },
    select: { tenantId: true, stripeCustomerId: true },
  });
  for (const account of accounts) {
    for (;;) {
      const report = await batch(db, account.tenantId, batchSize);
      if (!report || !account.stripeCustomerId) break;
      await sendAll([{ ...report, customer: account.stripeCustomerId }]);
    }
  }
  return { reports, micros };
}

async function unsent(db: Db): Promise<PendingReport[]> {
  const rows = await db.meterReport.findMany({
    where: { reportedAt: null },
    orderBy: { createdAt: "asc" },
    include: { tenant: { select: { billingAccount: { select: { stripeCustomerId: true } } } } },
  });
  return rows.flatMap((row) => {
    const customer = row.tenant.billingAccount?.stripeCustomerId;
    return customer ? [{ id: row.id, valueMicros: row.valueMicros, createdAt: row.createdAt, customer }] : [];
  });
}

/** Groups up to `size` unreported charges of a tenant into a new report (null: none left). */
async function batch(db: Db, tenantId: string, size: number) {
  return db.$transaction(async (tx) => {
    const report = await tx.meterReport.create({ data: { id: newId("meterReport"), tenantId, valueMicros: 0n } });
    const [sum] = await tx.$queryRaw<{ total: bigint | null }[]>`
      WITH picked AS (
        SELECT id FROM ledger_entries
        WHERE tenant_id = ${tenantId} AND kind = 'usage' AND meter_report_id IS NULL AND amount_micros > 0
        ORDER BY occurred_at LIMIT ${size} FOR UPDATE SKIP LOCKED
      ), marked AS (
        UPDATE ledger_entries SET meter_report_id = ${report.id} FROM picked
        WHERE ledger_entries.id = picked.id RETURNING ledger_entries.amount_micros
      )
      SELECT SUM(amount_micros)::bigint AS total FROM marked`;
    if (!sum?.total) {
      await tx.meterReport.delete({ where: { id: report.id } });
      return null;
    }
    return tx.meterReport.update({ where: { id: report.id }, data: { valueMicros: sum.total } });
  });
}

async function send(db: Db, stripe: StripeClient, report: PendingReport, eventName: string) {
  try {
    await stripe.billing.meterEvents.create({
      event_name: eventName,
      identifier: report.id,
      timestamp: Math.floor(report.createdAt.getTime() / 1000),
      payload: { stripe_customer_id: report.customer, value: report.valueMicros.toString() },
    });
  } catch (error) {
    // Stripe already has this identifier: an earlier run sent it and did not hear back.
    const repeat = error instanceof Stripe.errors.StripeError && error.code === "resource_already_exists";
    if (!repeat) {
      const message = error instanceof Error ? error.message : String(error);
      await db.meterReport.update({ where: { id: report.id }, data: { error: message.slice(0, 1000) } });
      throw error;
    }
  }
  await db.meterReport.update({ where: { id: report.id }, data: { reportedAt: new Date(), error: null } });
}
