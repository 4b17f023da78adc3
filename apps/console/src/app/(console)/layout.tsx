import { redirect } from "next/navigation";
import { tenantBoundDb } from "@aiaas/db";
import type { ReactNode } from "react";
import { ConfirmEmail } from "@/components/auth/confirm-email.tsx";
import { BudgetBanner } from "@/components/quotas/budget-banner.tsx";
import { Shell } from "@/components/shell/shell.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { requireSession } from "@/server/require-session.ts";
import { db } from "@/server/services.ts";

const tenantState = (tenantId: string) =>
  tenantBoundDb(db(), tenantId).tenant.findUnique({
    where: { id: tenantId },
    select: { requireMfa: true, status: true },
  });

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireSession();
  if (!user.activeTenantId) redirect(user.platformRole === "operator" ? "/admin" : "/onboarding");
  const tenant = await tenantState(user.activeTenantId);
  if (!user.twoFactorEnabled && tenant?.requireMfa) redirect("/two-factor?reason=tenant");
  return (
    <Shell user={{ name: user.name, email: user.email, operator: user.platformRole === "operator" }}>
      {!user.emailVerified && (
        <div className="mb-6">
          <ConfirmEmail email={user.email} then="/dashboard" />
        </div>
      )}
      {tenant?.status === "suspended" && (
        <Alert tone="error" className="mb-6">
          This organisation is suspended: you can look, but nothing can be changed and its API keys are refused. Contact
          support to have it resumed.
        </Alert>
      )}
      <BudgetBanner tenantId={user.activeTenantId} userId={user.userId} />
      {children}
    </Shell>
  );
}
