import { testDb } from "@aiaas/core/testing";

/** The usage row the gateway wrote for a request (it writes in batches, a few ms apart). */
export async function usageOf(requestId: string) {
  for (let i = 0; i < 100; i++) {
    const row = await testDb().usageEvent.findUnique({ where: { requestId } });
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no usage recorded for ${requestId}`);
}
