// @aiaas/core/sso: Single sign-on per tenant: identity providers, verified domains, just-in-time members.
export { configureSso, removeSso, loadIdpMetadata, type SsoDependencies } from "../sso/configure-sso.ts";
export { ssoConnectionInput, type SsoConnectionInput } from "../sso/sso-connection-input.ts";
export { addSsoDomain, removeSsoDomain, recordDomainCheck, normalizeDomain } from "../sso/sso-domains.ts";
export { challengeName, challengeValue, domainResolver, findChallenge } from "../sso/domain-challenge.ts";
export { requestDomainCheck } from "../sso/domain-check-queue.ts";
export { ssoRefusalCodes, type SsoRefusalCode } from "../sso/sso-refusal.ts";
export { checkOidcIssuer } from "../sso/oidc-sign-in.ts";
export { samlServiceProvider, SAML_CLOCK_SKEW_MS } from "../sso/saml-sign-in.ts";
export { purgeExpiredSignIns } from "../sso/pending-sign-ins.ts";
