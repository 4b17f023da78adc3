import type { Metadata } from "next";
import { LiveUsage } from "@/components/admin/live-usage.tsx";

export const metadata: Metadata = { title: "Live usage" };

export default function LiveUsagePage() {
  return <LiveUsage />;
}
