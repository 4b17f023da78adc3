import type { Metadata } from "next";
import { InvoiceDocument } from "@/components/billing/invoice-document.tsx";

export const metadata: Metadata = { title: "Invoice" };

export default async function InvoicePage({ params }: { params: Promise<{ period: string }> }) {
  const { period } = await params;
  return <InvoiceDocument period={period} />;
}
