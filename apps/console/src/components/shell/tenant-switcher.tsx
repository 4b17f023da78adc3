"use client";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { useTRPC } from "@/lib/trpc.ts";

/** Shows the active organisation and switches between the user's organisations. */
export function TenantSwitcher() {
  const trpc = useTRPC();
  const tenants = useQuery(trpc.tenant.mine.queryOptions());
  const switchTo = useMutation(trpc.tenant.switchTo.mutationOptions({ onSuccess: () => window.location.reload() }));
  const active = tenants.data?.find((tenant) => tenant.active);

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex min-w-0 items-center justify-between gap-2 rounded-md border border-zinc-200 px-3 py-2 text-left text-sm hover:bg-zinc-50"
        aria-label="Switch organisation"
      >
        <span className="truncate font-medium">{active?.name ?? "Organisation"}</span>
        <ChevronsUpDown className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-zinc-500">Organisations</DropdownMenu.Label>
          {tenants.data?.map((tenant) => (
            <DropdownMenu.Item
              key={tenant.id}
              onSelect={() => !tenant.active && switchTo.mutate({ tenantId: tenant.id })}
              className="flex cursor-pointer items-center justify-between gap-4 rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-zinc-100"
            >
              <span className="truncate">{tenant.name}</span>
              <span className="flex items-center gap-2 text-xs text-zinc-500">
                {tenant.role}
                {tenant.active && <Check className="h-4 w-4 text-indigo-600" aria-label="active" />}
              </span>
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
          <DropdownMenu.Item
            asChild
            className="flex items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-zinc-100"
          >
            <a href="/onboarding">
              <Plus className="h-4 w-4" aria-hidden /> New organisation
            </a>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
