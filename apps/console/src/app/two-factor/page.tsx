import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TwoFactorSetup } from "@/components/account/two-factor-setup.tsx";
import { SignOutButton } from "@/components/shell/sign-out-button.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { requireSession } from "@/server/require-session.ts";

export const metadata: Metadata = { title: "Set up two-factor sign-in" };
export const dynamic = "force-dynamic";

const reasons = {
  operator: "Operators must use two-factor sign-in: set it up to reach the operator area.",
  tenant: "Your organisation requires two-factor sign-in: set it up to continue.",
} as const;

/** Where people go when two-factor sign-in is required of them and not yet set up (outside every area that requires it). */
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const user = await requireSession();
  const { reason } = await searchParams;
  const then = user.platformRole === "operator" ? "/admin" : "/dashboard";
  if (user.twoFactorEnabled) redirect(then);
  return (
    <main className="mx-auto w-full max-w-xl space-y-6 px-4 py-12">
      <Link href="/" className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">
        aiaas
      </Link>
      <h1 className="text-2xl font-semibold">Set up two-factor sign-in</h1>
      <Alert tone="info">{reasons[reason === "tenant" ? "tenant" : "operator"]}</Alert>
      <TwoFactorSetup enabled={false} then={then} />
      <SignOutButton />
    </main>
  );
}
