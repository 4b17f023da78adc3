import { router } from "../../trpc.ts";
import { tenant } from "./get-tenant.ts";
import { tenants } from "./list-tenants.ts";
import { setStatus } from "./set-tenant-status.ts";
import { workers } from "./list-workers.ts";

/** The operator area: platform operators only. */
export const adminRouter = router({ tenants, tenant, setStatus, workers });
