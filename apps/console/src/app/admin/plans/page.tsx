import type { Metadata } from "next";
import { PlansTable } from "@/components/admin/plans-table.tsx";

export const metadata: Metadata = { title: "Plans" };

export default function PlansPage() {
  return <PlansTable />;
}
