import type { Metadata } from "next";
import { BillingPanel } from "@/components/billing/billing-panel.tsx";

export const metadata: Metadata = { title: "Billing" };

export default function BillingPage() {
  return <BillingPanel />;
}
