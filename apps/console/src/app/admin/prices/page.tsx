import type { Metadata } from "next";
import { PricesTable } from "@/components/admin/prices-table.tsx";

export const metadata: Metadata = { title: "Prices" };

export default function PricesPage() {
  return <PricesTable />;
}
