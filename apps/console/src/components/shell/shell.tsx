import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks } from "./nav-links.tsx";
import { SignOutButton } from "./sign-out-button.tsx";
import { TenantSwitcher } from "./tenant-switcher.tsx";

/** The frame of every signed-in page: organisation switcher, navigation, account. */
export function Shell({
  user,
  children,
}: {
  user: { name: string; email: string; operator: boolean };
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_1fr]">
      <aside className="border-b border-zinc-200 bg-white md:min-h-screen md:border-r md:border-b-0">
        <div className="flex items-center justify-between gap-2 px-4 py-4 md:flex-col md:items-stretch">
          <Link href="/dashboard" className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">
            aiaas
          </Link>
          <div className="flex min-w-0 items-center gap-2 md:block">
            <TenantSwitcher />
            <SignOutButton className="md:hidden" />
          </div>
        </div>
        <NavLinks />
        <div className="hidden border-t border-zinc-100 px-4 py-4 text-sm md:block">
          <p className="truncate font-medium" title={user.email}>
            {user.name}
          </p>
          <Link href="/account" className="block truncate text-zinc-500 hover:underline">
            {user.email}
          </Link>
          {user.operator && (
            <Link href="/admin" className="mt-2 block text-indigo-600 hover:underline">
              Operator area
            </Link>
          )}
          <SignOutButton className="mt-3" />
        </div>
      </aside>
      <main className="mx-auto w-full max-w-5xl px-4 py-8 md:px-8">{children}</main>
    </div>
  );
}
