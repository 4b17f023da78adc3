// @aiaas/core/scim: SCIM 2.0 provisioning per tenant: tokens, Users and Groups.
export { handleScimRequest, SCIM_PATH, type ScimOptions } from "../scim/scim-handler.ts";
export { createScimToken, revokeScimToken } from "../scim/scim-tokens.ts";
