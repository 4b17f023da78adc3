import { router } from "../../trpc.ts";
import { sessionKey } from "./session-key.ts";

export const playgroundRouter = router({ sessionKey });
