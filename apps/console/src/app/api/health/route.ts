import { pingDatabase } from "@aiaas/db";
import { checkReadiness } from "@aiaas/core/platform";
import { db } from "@/server/services.ts";

export const dynamic = "force-dynamic";

/** Console health: 200 when it can reach Postgres, 503 naming what is missing. */
export async function GET() {
  const report = await checkReadiness([{ name: "postgres", check: () => pingDatabase(db()) }]);
  return Response.json(
    { status: report.ready ? "ok" : "unavailable", checks: report.checks },
    { status: report.ready ? 200 : 503 },
  );
}
