// @aiaas/core/auth: Sign-in for people (better-auth): the console only.
export { createAuth, type Auth, type AuthOptions } from "../auth/create-auth.ts";
export { authenticatedAt, REAUTHENTICATE_AFTER_MINUTES } from "../auth/reauthentication.ts";
export { handleAuthRequest } from "../auth/handle-auth-request.ts";
export { singleSignOn, oidcRedirectUri, passwordRefused } from "../auth/single-sign-on.ts";
