import { router } from "../../trpc.ts";
import { create } from "./create-tenant.ts";
import { current } from "./current-tenant.ts";
import { mine } from "./list-my-tenants.ts";
import { settings } from "./get-settings.ts";
import { switchTo } from "./switch-tenant.ts";
import { update } from "./update-tenant.ts";

export const tenantRouter = router({ create, mine, current, switchTo, settings, update });
