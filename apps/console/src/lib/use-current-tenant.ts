"use client";
import { useQuery } from "@tanstack/react-query";
import type { PermissionScope } from "@aiaas/core";
import { useTRPC } from "./trpc.ts";

/** The active organisation, the caller's role, and whether that role holds a scope (false while loading). */
export function useCurrentTenant() {
  const trpc = useTRPC();
  const current = useQuery(trpc.tenant.current.queryOptions());
  const can = (scope: PermissionScope) => current.data?.permissions.includes(scope) ?? false;
  return { current, can };
}
