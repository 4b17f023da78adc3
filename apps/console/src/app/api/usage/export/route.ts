import { spreadsheetCsv } from "@/lib/spreadsheet-csv.ts";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { routeCaller } from "@/server/route-caller.ts";

export const dynamic = "force-dynamic";

const columns = [
  "day",
  "keyId",
  "keyName",
  "model",
  "requests",
  "errors",
  "inputTokens",
  "outputTokens",
  "images",
  "costMicros",
] as const;

/** The active tenant's usage per UTC day, key and model as CSV (`?days=1..90`, default 30), with a totals row. */
export async function GET(request: Request) {
  const days = Math.min(90, Math.max(1, Number(new URL(request.url).searchParams.get("days")) || 30));
  try {
    const rows = await (await routeCaller(request)).usage.breakdown({ days });
    const total = (pick: (row: (typeof rows)[number]) => number | bigint) =>
      rows.reduce<bigint>((sum, row) => sum + BigInt(pick(row)), 0n);
    const body = spreadsheetCsv(
      [
        ...rows.map((row) => columns.map((column) => row[column])),
        [
          "total",
          "",
          "",
          "",
          total((row) => row.requests),
          total((row) => row.errors),
          total((row) => row.inputTokens),
          total((row) => row.outputTokens),
          total((row) => row.images),
          total((row) => row.costMicros),
        ],
      ],
      { header: true, columns: [...columns], cast: { bigint: (value) => value.toString() } },
    );
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-${new Date().toISOString().slice(0, 10)}-${days}d.csv"`,
      },
    });
  } catch (error) {
    if (error instanceof TRPCError)
      return Response.json({ error: error.message }, { status: getHTTPStatusCodeFromError(error) });
    throw error;
  }
}
