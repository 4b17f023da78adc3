import { formatUsd, utcDayKey, type LimitMeter } from "@aiaas/core";
import { cn } from "@/lib/cn.ts";
import { formatCount } from "@/components/usage/format.ts";

const shown = (meter: LimitMeter, value: number) =>
  meter.unit === "micros" ? formatUsd(BigInt(Math.round(value))) : formatCount(value);

function resetWords(meter: LimitMeter) {
  if (meter.name === "rpm" || meter.name === "tpm") return "rolling minute";
  if (meter.name === "concurrent") return "now";
  return meter.resetsAt ? `resets ${utcDayKey(meter.resetsAt)}` : "";
}

/** One limit as a bar of what is used of it; amber from 80 %, red when full. */
function MeterRow({ meter }: { meter: LimitMeter }) {
  const { limit, used } = meter;
  const share = limit && used !== null ? Math.min(1, used / limit) : 0;
  const figures =
    limit === null
      ? `${used === null ? "—" : shown(meter, used)} · no limit`
      : `${used === null ? "—" : shown(meter, used)} of ${shown(meter, limit)}`;
  return (
    <div className="space-y-1">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="text-zinc-700">{meter.label}</span>
        <span className="font-mono text-xs text-zinc-600">{figures}</span>
      </div>
      {limit !== null && (
        <div
          role="meter"
          aria-label={meter.label}
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={used ?? 0}
          aria-valuetext={figures}
          className="h-2 overflow-hidden rounded bg-zinc-100"
        >
          <div
            className={cn(
              "h-full rounded",
              share >= 1 ? "bg-red-500" : share >= 0.8 ? "bg-amber-500" : "bg-indigo-500",
            )}
            style={{ width: `${share * 100}%` }}
          />
        </div>
      )}
      <p className="text-xs text-zinc-400">{resetWords(meter)}</p>
    </div>
  );
}

/** A scope's limits beside their use; with `onlySet`, limits that are not set are left out. */
export function LimitMeterList({ meters, onlySet = false }: { meters: LimitMeter[]; onlySet?: boolean }) {
  const rows = onlySet ? meters.filter((meter) => meter.limit !== null) : meters;
  if (rows.length === 0)
    return <p className="text-sm text-zinc-500">No limits of its own: the organization&apos;s apply.</p>;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {rows.map((meter) => (
        <MeterRow key={meter.name} meter={meter} />
      ))}
    </div>
  );
}
