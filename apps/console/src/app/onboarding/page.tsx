import type { Metadata } from "next";
import { CreateTenantForm } from "@/components/tenants/create-tenant-form.tsx";
import { requireSession } from "@/server/require-session.ts";

export const metadata: Metadata = { title: "New organisation" };
export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  await requireSession();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm">
        <CreateTenantForm />
      </div>
    </main>
  );
}
