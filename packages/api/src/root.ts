import { createCallerFactory, router } from "./trpc.ts";
import { systemRouter } from "./routers/system/router.ts";

/** The control plane: one router per concern, one procedure per file. */
export const appRouter = router({ system: systemRouter });
export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests). */
export const createCaller = createCallerFactory(appRouter);
