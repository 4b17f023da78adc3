import { createCallerFactory, router } from "./trpc.ts";
import { adminRouter } from "./routers/admin/router.ts";
import { apiKeysRouter } from "./routers/apiKeys/router.ts";
import { auditRouter } from "./routers/audit/router.ts";
import { invitationsRouter } from "./routers/invitations/router.ts";
import { membersRouter } from "./routers/members/router.ts";
import { modelsRouter } from "./routers/models/router.ts";
import { billingRouter } from "./routers/billing/router.ts";
import { batchesRouter } from "./routers/batches/router.ts";
import { quotasRouter } from "./routers/quotas/router.ts";
import { playgroundRouter } from "./routers/playground/router.ts";
import { ssoRouter } from "./routers/sso/router.ts";
import { systemRouter } from "./routers/system/router.ts";
import { tenantRouter } from "./routers/tenant/router.ts";
import { usageRouter } from "./routers/usage/router.ts";

/** The control plane: one router per concern, one procedure per file. */
export const appRouter = router({
  system: systemRouter,
  tenant: tenantRouter,
  apiKeys: apiKeysRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  audit: auditRouter,
  models: modelsRouter,
  usage: usageRouter,
  batches: batchesRouter,
  quotas: quotasRouter,
  billing: billingRouter,
  playground: playgroundRouter,
  sso: ssoRouter,
  admin: adminRouter,
});
export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests). */
export const createCaller = createCallerFactory(appRouter);
