import type { Tx } from "@aiaas/db";

/**
 * One person behind an address: lower-cased, without a "+tag" in the local
 * part, so a@x.com and A+2@x.com claim one free allowance. The migration
 * that backfilled claims computes the same key in SQL.
 */
export function personKey(email: string): string {
  return email.toLowerCase().replace(/\+[^@]*@/, "@");
}

/**
 * Claims the person's free allowance for a tenant they are creating: true for
 * their first organisation, false once it is taken (by this account, or by
 * another account with the same address). Concurrent creations race on the
 * claim's unique keys; exactly one wins.
 */
export async function claimFreeAllowance(
  tx: Tx,
  { userId, email, tenantId }: { userId: string; email: string; tenantId: string },
): Promise<boolean> {
  const claimed = await tx.$executeRaw`
    INSERT INTO free_allowance_claims (person_key, user_id, tenant_id)
    VALUES (${personKey(email)}, ${userId}, ${tenantId})
    ON CONFLICT DO NOTHING`;
  return claimed === 1;
}

/** The plan columns and tenant flag `includedUsageOf` needs. */
export interface IncludedUsageTerms {
  freeAllowance: boolean;
  plan: { includedUsageMicros: bigint; priceMonthlyMicros: bigint } | null;
}

/**
 * The usage a tenant's plan includes each month. A plan with a fee includes
 * what the fee buys; a plan without one gives its included usage as a free
 * allowance, which only the tenant holding it gets (once per person).
 */
export function includedUsageOf({ freeAllowance, plan }: IncludedUsageTerms): bigint {
  if (!plan) return 0n;
  return plan.priceMonthlyMicros > 0n || freeAllowance ? plan.includedUsageMicros : 0n;
}
