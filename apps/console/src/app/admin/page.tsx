import type { Metadata } from "next";
import { TenantsTable } from "@/components/admin/tenants-table.tsx";

export const metadata: Metadata = { title: "Tenants" };

export default function AdminPage() {
  return <TenantsTable />;
}
