// @aiaas/core/testing/sso: identity providers and DNS on loopback, and a headless browser for sign-ins through them.
export { startDnsServer } from "./dns-server.ts";
export { startOidcIdp, type IdpUser, type TokenMischief } from "./oidc-idp.ts";
export { idpBrowser } from "./idp-browser.ts";
export { startSamlIdp, type SamlMischief } from "./saml-idp.ts";
