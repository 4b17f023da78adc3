import type { Metadata } from "next";
import Link from "next/link";
import { tenantBoundDb } from "@aiaas/db";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { UsageOverview } from "@/components/usage/usage-overview.tsx";
import { consoleEnv } from "@/server/env.ts";
import { services } from "@/server/services.ts";
import { requireSession } from "@/server/require-session.ts";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  const user = await requireSession();
  const tenantId = user.activeTenantId ?? "";
  const db = tenantBoundDb(services().db, tenantId);
  const [tenant, activeKeys, members] = await Promise.all([
    db.tenant.findFirst({
      where: { id: tenantId, memberships: { some: { userId: user.userId } } },
      include: { plan: true },
    }),
    // Keys people made: not the playground's session keys, nor expired ones.
    db.apiKey.count({
      where: {
        tenantId,
        revokedAt: null,
        sessionId: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
      },
    }),
    db.membership.count({ where: { tenantId } }),
  ]);
  const gatewayUrl = consoleEnv().PUBLIC_GATEWAY_URL.replace(/\/$/, "");
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">{tenant?.name ?? "Overview"}</h1>
        <p className="text-sm text-zinc-600">
          Plan {tenant?.plan?.name ?? "none"} · {members} member{members === 1 ? "" : "s"}
          {tenant?.status === "suspended" && " · suspended: API keys are refused"}
        </p>
      </header>
      <div className="grid gap-4 sm:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>API keys</CardTitle>
          </CardHeader>
          <CardBody>
            <p className="text-3xl font-semibold">{activeKeys}</p>
            <p className="text-sm text-zinc-600">active</p>
            <Link href="/keys" className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
              Manage keys
            </Link>
          </CardBody>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Call the API</CardTitle>
          </CardHeader>
          <CardBody className="space-y-2 text-sm">
            <p>
              Base URL <code className="rounded bg-zinc-100 px-1 font-mono">{gatewayUrl}/v1</code>
            </p>
            <pre className="overflow-x-auto rounded bg-zinc-900 p-3 font-mono text-xs text-zinc-100">{`curl ${gatewayUrl}/v1/models \\\n  -H "Authorization: Bearer $AIAAS_API_KEY"`}</pre>
          </CardBody>
        </Card>
      </div>
      <UsageOverview />
    </div>
  );
}
