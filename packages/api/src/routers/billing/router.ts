import { router } from "../../trpc.ts";
import { overview } from "./billing-overview.ts";
import { invoice } from "./get-invoice.ts";
import { checkout } from "./start-checkout.ts";
import { portal } from "./open-portal.ts";

export const billingRouter = router({ overview, invoice, checkout, portal });
