export { appRouter, createCaller, type AppRouter } from "./root.ts";
export type { ApiContext, SessionUser } from "./context.ts";
export type { LimitsInput } from "./routers/quotas/limits-input.ts";
export { unavailableIfDatabaseDown } from "./database-unavailable.ts";
