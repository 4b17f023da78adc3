import type { Metadata } from "next";
import { LimitsPanel } from "@/components/quotas/limits-panel.tsx";

export const metadata: Metadata = { title: "Limits" };

export default function LimitsPage() {
  return <LimitsPanel />;
}
