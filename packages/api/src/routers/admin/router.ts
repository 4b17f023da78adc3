import { router } from "../../trpc.ts";
import { tenant } from "./get-tenant.ts";
import { tenants } from "./list-tenants.ts";
import { setStatus } from "./set-tenant-status.ts";
import { setUserStatus } from "./set-user-status.ts";
import { workers } from "./list-workers.ts";
import { plans } from "./list-plans.ts";
import { setPlanLimits } from "./set-plan-limits.ts";
import { tenantQuota } from "./tenant-quota.ts";
import { setTenantQuota } from "./set-tenant-quota.ts";
import { liveUsage } from "./live-usage.ts";
import { billing } from "./platform-billing.ts";
import { grantCredits } from "./grant-credits.ts";
import { prices } from "./list-prices.ts";
import { setModelPrice } from "./set-model-price.ts";
import { setPlanTerms } from "./set-plan-terms.ts";
import { createPlan } from "./create-plan.ts";
import { setModelAccess } from "./set-model-access.ts";
import { usageDeadLetters } from "./list-usage-dead-letters.ts";
import { models } from "./list-models.ts";
import { setModelStatus } from "./set-model-status.ts";
import { promoteModelVersion } from "./promote-model-version.ts";
import { modelPulls, pullModel } from "./model-pulls.ts";

/** The operator area: platform operators only. */
export const adminRouter = router({
  tenants,
  tenant,
  setStatus,
  setUserStatus,
  workers,
  plans,
  setPlanLimits,
  tenantQuota,
  setTenantQuota,
  liveUsage,
  billing,
  grantCredits,
  prices,
  setModelPrice,
  setPlanTerms,
  createPlan,
  setModelAccess,
  usageDeadLetters,
  models,
  setModelStatus,
  promoteModelVersion,
  pullModel,
  modelPulls,
});
