import { router } from "../../trpc.ts";
import { cancelInvite } from "./cancel-invitation.ts";
import { changeRole } from "./change-member-role.ts";
import { invite } from "./invite-member.ts";
import { list } from "./list-members.ts";
import { remove } from "./remove-member.ts";

export const membersRouter = router({ list, invite, changeRole, remove, cancelInvite });
