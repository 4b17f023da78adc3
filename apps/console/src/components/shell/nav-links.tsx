"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { PermissionScope } from "@aiaas/core";
import { cn } from "@/lib/cn.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";

const links = [
  { href: "/dashboard", label: "Overview" },
  { href: "/usage", label: "Usage" },
  { href: "/batches", label: "Batches" },
  { href: "/limits", label: "Limits" },
  { href: "/billing", label: "Billing", scope: "billing:read" },
  { href: "/playground", label: "Playground" },
  { href: "/keys", label: "API keys" },
  { href: "/members", label: "Members" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings", label: "Settings" },
  { href: "/settings/sso", label: "Single sign-on", scope: "sso:manage" },
] as const satisfies readonly { href: string; label: string; scope?: PermissionScope }[];

export function NavLinks() {
  const pathname = usePathname();
  const { can } = useCurrentTenant();
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-2 pb-2 md:flex-col md:pb-4">
      {links
        .filter((link) => !("scope" in link) || can(link.scope))
        .map(({ href, label }) => (
          <Link
            key={href}
            href={href}
            aria-current={pathname === href ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-2 text-sm whitespace-nowrap text-zinc-700 hover:bg-zinc-100",
              pathname === href && "bg-indigo-50 font-medium text-indigo-700",
            )}
          >
            {label}
          </Link>
        ))}
    </nav>
  );
}
