import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/shell/sign-out-button.tsx";
import { requireSession } from "@/server/require-session.ts";

export const dynamic = "force-dynamic";

/** The operator area: platform operators only (anyone else gets a 404), with two-factor sign-in set up. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireSession();
  if (user.platformRole !== "operator") notFound();
  if (!user.twoFactorEnabled) redirect("/two-factor?reason=operator");
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between gap-4 border-b border-zinc-200 bg-zinc-900 px-4 py-3 text-white">
        <nav className="flex items-center gap-4 text-sm">
          <Link href="/admin" className="font-semibold tracking-wide uppercase">
            aiaas operator
          </Link>
          <Link href="/admin" className="text-zinc-300 hover:text-white">
            Tenants
          </Link>
          <Link href="/admin/usage" className="text-zinc-300 hover:text-white">
            Live usage
          </Link>
          <Link href="/admin/plans" className="text-zinc-300 hover:text-white">
            Plans
          </Link>
          <Link href="/admin/prices" className="text-zinc-300 hover:text-white">
            Prices
          </Link>
          <Link href="/admin/billing" className="text-zinc-300 hover:text-white">
            Billing
          </Link>
          <Link href="/admin/models" className="text-zinc-300 hover:text-white">
            Models
          </Link>
          <Link href="/admin/workers" className="text-zinc-300 hover:text-white">
            Workers
          </Link>
        </nav>
        <div className="flex items-center gap-3 text-sm">
          <span className="hidden text-zinc-300 sm:inline">{user.email}</span>
          <SignOutButton />
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
