import type { Metadata } from "next";
import { BatchesPanel } from "@/components/batches/batches-panel.tsx";

export const metadata: Metadata = { title: "Batches" };

export default function BatchesPage() {
  return <BatchesPanel />;
}
