import { spreadsheetCsv } from "@/lib/spreadsheet-csv.ts";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { routeCaller } from "@/server/route-caller.ts";

export const dynamic = "force-dynamic";

const MAX_EVENTS = 100_000;
const columns = [
  "seq",
  "occurredAt",
  "actorType",
  "actorId",
  "actorLabel",
  "action",
  "targetType",
  "targetId",
  "result",
  "ip",
  "userAgent",
  "requestId",
  "metadata",
  "hash",
] as const;

/**
 * The active tenant's audit log as CSV or JSON (`?format=csv|json`, plus the
 * page's filters), through the same procedure and permission as the page.
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "json" ? "json" : "csv";
  const filters = {
    action: url.searchParams.get("action") ?? undefined,
    actor: url.searchParams.get("actor") ?? undefined,
    target: url.searchParams.get("target") ?? undefined,
    from: dateParam(url, "from"),
    to: dateParam(url, "to"),
  };
  const caller = await routeCaller(request);
  try {
    const events = [];
    let cursor: number | undefined;
    do {
      const page = await caller.audit.list({ ...filters, cursor, limit: 200 });
      events.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && events.length < MAX_EVENTS);
    const stamp = new Date().toISOString().slice(0, 10);
    const body =
      format === "json"
        ? JSON.stringify(events, null, 2)
        : spreadsheetCsv(
            events.map((event) =>
              columns.map((column) => (column === "metadata" ? JSON.stringify(event.metadata) : event[column])),
            ),
            { header: true, columns: [...columns], cast: { date: (value) => value.toISOString() } },
          );
    return new Response(body, {
      headers: {
        "content-type": format === "json" ? "application/json" : "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-${stamp}.${format}"`,
      },
    });
  } catch (error) {
    if (error instanceof TRPCError)
      return Response.json({ error: error.message }, { status: getHTTPStatusCodeFromError(error) });
    throw error;
  }
}

function dateParam(url: URL, name: string): Date | undefined {
  const value = url.searchParams.get(name);
  const date = value ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
