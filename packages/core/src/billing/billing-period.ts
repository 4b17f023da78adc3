import { nextUtcMonth } from "../time/utc-calendar.ts";

/** A billing period: a calendar month in UTC, `[start, end)`. */
export interface BillingPeriod {
  /** `2026-12` */
  key: string;
  start: Date;
  end: Date;
}

export function billingPeriodOf(at: Date): BillingPeriod {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return { key: start.toISOString().slice(0, 7), start, end: nextUtcMonth(start) };
}

/** The period a `2026-12` key names, or null when it names none. */
export function billingPeriodNamed(key: string): BillingPeriod | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(key)) return null;
  return billingPeriodOf(new Date(`${key}-01T00:00:00Z`));
}
