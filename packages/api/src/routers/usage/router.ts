import { router } from "../../trpc.ts";
import { daily } from "./daily-usage.ts";
import { readStored } from "./read-stored-request.ts";
import { recent } from "./recent-requests.ts";
import { request } from "./request-detail.ts";
import { breakdown } from "./usage-breakdown.ts";

export const usageRouter = router({ daily, breakdown, recent, request, readStored });
