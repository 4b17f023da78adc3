import { router } from "../../trpc.ts";
import { accept } from "./accept-invitation.ts";
import { get } from "./get-invitation.ts";

export const invitationsRouter = router({ get, accept });
