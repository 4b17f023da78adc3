import type { Metadata } from "next";
import { UsageBreakdown } from "@/components/usage/usage-breakdown.tsx";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return <UsageBreakdown />;
}
