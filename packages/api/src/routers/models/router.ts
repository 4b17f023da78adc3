import { router } from "../../trpc.ts";
import { available } from "./list-available-models.ts";

export const modelsRouter = router({ available });
