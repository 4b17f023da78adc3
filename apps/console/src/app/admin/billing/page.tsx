import type { Metadata } from "next";
import { BillingOverview } from "@/components/admin/billing-overview.tsx";

export const metadata: Metadata = { title: "Billing" };

export default function AdminBillingPage() {
  return <BillingOverview />;
}
