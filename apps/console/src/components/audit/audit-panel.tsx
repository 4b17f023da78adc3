"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadMore } from "@/components/ui/load-more.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { formText } from "@/lib/form-text.ts";

interface Filters {
  action?: string;
  actor?: string;
  target?: string;
  from?: Date;
  to?: Date;
}

const filterFields = [
  { name: "action", label: "Action", type: "text", placeholder: "api_key.revoke" },
  { name: "actor", label: "Actor", type: "text", placeholder: "email or id" },
  { name: "target", label: "Target", type: "text", placeholder: "id or type" },
  { name: "from", label: "From", type: "date", placeholder: undefined },
  { name: "to", label: "To", type: "date", placeholder: undefined },
] as const;

const resultTone = { success: "green", failure: "red", denied: "red" } as const;

export function AuditPanel() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(filters, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => formText(form, name).trim() || undefined;
    const day = (name: string, endOfDay: boolean) => {
      const text = value(name);
      return text ? new Date(`${text}T${endOfDay ? "23:59:59.999" : "00:00:00"}`) : undefined;
    };
    setFilters({
      action: value("action"),
      actor: value("actor"),
      target: value("target"),
      from: day("from", false),
      to: day("to", true),
    });
  }

  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  const exportQuery = new URLSearchParams(
    Object.entries(filters)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : String(value)]),
  );
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="text-sm text-zinc-600">
            Every change to this organisation, who made it and from where. Entries are hash-chained and cannot be
            edited.
          </p>
        </div>
        <div className="flex gap-2">
          <Button asChild variant="secondary" size="sm">
            <a href={`/api/audit/export?format=csv&${exportQuery.toString()}`} download>
              Export CSV
            </a>
          </Button>
          <Button asChild variant="secondary" size="sm">
            <a href={`/api/audit/export?format=json&${exportQuery.toString()}`} download>
              Export JSON
            </a>
          </Button>
        </div>
      </header>
      <form
        onSubmit={applyFilters}
        className="grid gap-3 sm:grid-cols-3 sm:items-end lg:grid-cols-6"
        aria-label="Filter the audit log"
      >
        {filterFields.map(({ name, label, type, placeholder }) => (
          <Field key={name} id={`filter-${name}`} label={label}>
            <Input id={`filter-${name}`} name={name} type={type} placeholder={placeholder} />
          </Field>
        ))}
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      <Card>
        {events.error && (
          <Alert tone="error" className="m-4">
            {events.error.message}
          </Alert>
        )}
        {events.isPending && <p className="px-5 py-8 text-sm text-zinc-500">Loading events…</p>}
        {!events.isPending && rows.length === 0 && !events.error && <EmptyState>No events match.</EmptyState>}
        {rows.length > 0 && (
          <Table>
            <thead>
              <tr>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Result</Th>
                <Th>IP</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <tr key={event.id}>
                  <Td className="text-xs whitespace-nowrap text-zinc-600">{event.occurredAt.toLocaleString()}</Td>
                  <Td className="text-xs">
                    <span className="block font-medium">{event.actorLabel ?? event.actorId ?? "—"}</span>
                    <span className="text-zinc-500">{event.actorType}</span>
                  </Td>
                  <Td>
                    <code className="font-mono text-xs">{event.action}</code>
                  </Td>
                  <Td className="text-xs text-zinc-600">
                    {event.targetId ? `${event.targetType ?? ""} ${event.targetId}` : "—"}
                  </Td>
                  <Td>
                    <Badge tone={resultTone[event.result]}>{event.result}</Badge>
                  </Td>
                  <Td className="text-xs text-zinc-600">{event.ip ?? "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <LoadMore pages={events} label="Load older events" />
      </Card>
    </div>
  );
}
