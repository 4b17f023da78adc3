import { router } from "../../trpc.ts";
import { list } from "./list-audit-events.ts";

export const auditRouter = router({ list });
