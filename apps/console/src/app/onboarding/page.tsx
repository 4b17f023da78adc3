import type { Metadata } from "next";
import { ConfirmEmail } from "@/components/auth/confirm-email.tsx";
import { CreateTenantForm } from "@/components/tenants/create-tenant-form.tsx";
import { requireSession } from "@/server/require-session.ts";

export const metadata: Metadata = { title: "New organisation" };
export const dynamic = "force-dynamic";

/** After sign-up: confirm the address (the mailed link comes back here), then name the organisation. */
export default async function OnboardingPage() {
  const user = await requireSession();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-4 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm">
        {user.emailVerified ? (
          <CreateTenantForm />
        ) : (
          <>
            <h1 className="text-xl font-semibold">Check your inbox</h1>
            <ConfirmEmail email={user.email} then="/onboarding" />
          </>
        )}
      </div>
    </main>
  );
}
