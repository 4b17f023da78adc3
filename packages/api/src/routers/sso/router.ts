import { router } from "../../trpc.ts";
import { configure } from "./configure-sso.ts";
import { addDomain, checkDomain, removeDomain } from "./domains.ts";
import { settings } from "./get-settings.ts";
import { remove } from "./remove-sso.ts";
import { createScimTokenProcedure, revokeScimTokenProcedure } from "./scim-tokens.ts";

export const ssoRouter = router({
  settings,
  configure,
  remove,
  addDomain,
  checkDomain,
  removeDomain,
  createScimToken: createScimTokenProcedure,
  revokeScimToken: revokeScimTokenProcedure,
});
