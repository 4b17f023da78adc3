import { router } from "../../trpc.ts";
import { create } from "./create-api-key.ts";
import { list } from "./list-api-keys.ts";
import { revoke } from "./revoke-api-key.ts";
import { roll } from "./roll-api-key.ts";

export const apiKeysRouter = router({ list, create, revoke, roll });
