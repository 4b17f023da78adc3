import { router } from "../../trpc.ts";
import { overview } from "./quota-overview.ts";
import { setKeyLimits } from "./set-key-limits.ts";

export const quotasRouter = router({ overview, setKeyLimits: setKeyLimits });
