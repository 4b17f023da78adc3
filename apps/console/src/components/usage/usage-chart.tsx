"use client";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatDay } from "./format.ts";

export interface ChartDay {
  day: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
}

/** Requests (bars, left axis) and tokens (line, right axis) per UTC day. */
export function UsageChart({ days }: { days: ChartDay[] }) {
  const data = days.map((day) => ({ ...day, label: formatDay(day.day), tokens: day.inputTokens + day.outputTokens }));
  return (
    <div className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis yAxisId="requests" allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <YAxis
            yAxisId="tokens"
            orientation="right"
            allowDecimals={false}
            tick={{ fontSize: 11 }}
            width={48}
            tickFormatter={(value: number) => formatCount(value)}
          />
          <Tooltip formatter={(value) => (typeof value === "number" ? formatCount(value) : String(value))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="requests" dataKey="requests" name="Requests" fill="#6366f1" radius={[3, 3, 0, 0]} />
          <Bar yAxisId="requests" dataKey="errors" name="Errors" fill="#f87171" radius={[3, 3, 0, 0]} />
          <Line
            yAxisId="tokens"
            type="monotone"
            dataKey="tokens"
            name="Tokens (in + out)"
            stroke="#10b981"
            strokeWidth={2}
            dot={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
