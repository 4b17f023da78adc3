"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadMore } from "@/components/ui/load-more.tsx";
import { SearchField } from "@/components/ui/search-field.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";

export function TenantsTable() {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const pages = useInfiniteQuery(
    trpc.admin.tenants.infiniteQueryOptions(
      { search: search || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = pages.data?.pages.flatMap((page) => page.tenants);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Tenants</h1>
      <SearchField id="tenant-search" label="Search by name or slug" value={search} onChange={setSearch} />
      {pages.error && <Alert tone="error">{pages.error.message}</Alert>}
      <Card>
        {rows?.length === 0 && <EmptyState>No tenant matches.</EmptyState>}
        {rows && rows.length > 0 && (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Slug</Th>
                <Th>Plan</Th>
                <Th>Members</Th>
                <Th>Active keys</Th>
                <Th>Status</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((tenant) => (
                <tr key={tenant.id}>
                  <Td>
                    <Link href={`/admin/tenants/${tenant.id}`} className="font-medium text-indigo-600 hover:underline">
                      {tenant.name}
                    </Link>
                  </Td>
                  <Td className="font-mono text-xs">{tenant.slug}</Td>
                  <Td>{tenant.plan ?? "—"}</Td>
                  <Td>{tenant.members}</Td>
                  <Td>{tenant.activeKeys}</Td>
                  <Td>
                    <Badge tone={tenant.status === "active" ? "green" : "red"}>{tenant.status}</Badge>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <LoadMore pages={pages} label="Show more tenants" />
      </Card>
    </div>
  );
}
