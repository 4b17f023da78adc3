"use client";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { CreateKeyDialog } from "./create-key-dialog.tsx";
import { RevokeKeyDialog } from "./revoke-key-dialog.tsx";
import { RollKeyDialog } from "./roll-key-dialog.tsx";

const statusTone = { active: "green", rolling: "indigo", rolled: "grey", revoked: "red", expired: "grey" } as const;
const date = (value: Date | null) => (value ? value.toLocaleDateString(undefined, { dateStyle: "medium" }) : "—");

export function KeysPanel() {
  const trpc = useTRPC();
  const { current, can } = useCurrentTenant();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="text-sm text-zinc-600">
          Keys authenticate calls to the API. Each secret is shown once, when it is created; we only keep a hash.
        </p>
      </header>
      <Card>
        <CardHeader>
          <CardTitle>Keys of {current.data?.tenant.name ?? "this organisation"}</CardTitle>
          {can("keys:create") && <CreateKeyDialog />}
        </CardHeader>
        {keys.error && (
          <Alert tone="error" className="m-4">
            {keys.error.message}
          </Alert>
        )}
        {keys.isPending && <p className="px-5 py-8 text-sm text-zinc-500">Loading keys…</p>}
        {keys.data?.length === 0 && (
          <EmptyState>
            No keys yet.{" "}
            {can("keys:create") ? "Create one to start calling the API." : "Ask an admin or developer to create one."}
          </EmptyState>
        )}
        {keys.data && keys.data.length > 0 && (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Scopes</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Expires</Th>
                <Th>Status</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id}>
                  <Td className="font-medium">
                    {key.name}
                    {key.sessionKey && (
                      <span className="block">
                        <Badge tone="indigo">session key</Badge>
                      </span>
                    )}
                  </Td>
                  <Td>
                    <code className="font-mono text-xs">{key.display}</code>
                  </Td>
                  <Td className="text-xs text-zinc-600">
                    {key.scopes.length ? key.scopes.join(", ") : "all endpoints"}
                    <span className="block">{key.models.length ? key.models.join(", ") : "all models"}</span>
                  </Td>
                  <Td className="text-xs text-zinc-600">
                    {date(key.createdAt)}
                    {key.createdBy && <span className="block">{key.createdBy}</span>}
                  </Td>
                  <Td className="text-xs text-zinc-600">{date(key.lastUsedAt)}</Td>
                  <Td className="text-xs text-zinc-600">
                    {key.graceEndsAt
                      ? `old secret until ${key.graceEndsAt.toLocaleString()}`
                      : key.expiresAt
                        ? date(key.expiresAt)
                        : "never"}
                  </Td>
                  <Td>
                    <Badge tone={statusTone[key.status]}>{key.status}</Badge>
                  </Td>
                  <Td className="text-right whitespace-nowrap">
                    {can("keys:create") && key.status === "active" && !key.sessionKey && (
                      <RollKeyDialog keyId={key.id} name={key.name} />
                    )}
                    {can("keys:revoke") && (key.status === "active" || key.status === "rolling") && (
                      <RevokeKeyDialog keyId={key.id} name={key.name} />
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
