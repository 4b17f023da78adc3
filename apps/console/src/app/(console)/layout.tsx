import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConfirmEmail } from "@/components/auth/confirm-email.tsx";
import { BudgetBanner } from "@/components/quotas/budget-banner.tsx";
import { Shell } from "@/components/shell/shell.tsx";
import { requireSession } from "@/server/require-session.ts";
import { db } from "@/server/services.ts";

const tenantRequiresMfa = async (tenantId: string) =>
  (await db().tenant.findUnique({ where: { id: tenantId }, select: { requireMfa: true } }))?.requireMfa === true;

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireSession();
  if (!user.activeTenantId) redirect(user.platformRole === "operator" ? "/admin" : "/onboarding");
  if (!user.twoFactorEnabled && (await tenantRequiresMfa(user.activeTenantId))) redirect("/two-factor?reason=tenant");
  return (
    <Shell user={{ name: user.name, email: user.email, operator: user.platformRole === "operator" }}>
      {!user.emailVerified && (
        <div className="mb-6">
          <ConfirmEmail email={user.email} then="/dashboard" />
        </div>
      )}
      <BudgetBanner tenantId={user.activeTenantId} userId={user.userId} />
      {children}
    </Shell>
  );
}
