import type { Metadata } from "next";
import { WorkersTable } from "@/components/admin/workers-table.tsx";

export const metadata: Metadata = { title: "Workers" };

export default function AdminWorkersPage() {
  return <WorkersTable />;
}
