import type { Metadata } from "next";
import { TenantDetail } from "@/components/admin/tenant-detail.tsx";

export const metadata: Metadata = { title: "Tenant" };

export default async function AdminTenantPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TenantDetail tenantId={id} />;
}
