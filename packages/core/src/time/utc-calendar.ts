/** The UTC calendar: days and months as usage, limits and budgets count them. */

/** `2026-12-01`: the UTC day of an instant. */
export const utcDayKey = (date: Date) => date.toISOString().slice(0, 10);

/** Midnight UTC at the start of the instant's day. */
export const startOfUtcDay = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

/** Midnight UTC at the start of the next day. */
export const nextUtcDay = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1));

/** Midnight UTC on the first of the next month. */
export const nextUtcMonth = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
