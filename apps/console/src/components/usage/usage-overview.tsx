"use client";
import { RecentRequests } from "./recent-requests.tsx";
import { UsageSummary } from "./usage-summary.tsx";

/** The overview's usage: 30-day totals and chart, then the latest requests. */
export function UsageOverview() {
  return (
    <div className="space-y-6">
      <UsageSummary />
      <RecentRequests />
    </div>
  );
}
