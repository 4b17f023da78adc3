import type { SsoRefusalCode } from "@aiaas/core/sso";

/** What the sign-in page says when single sign-on sent someone back (`?sso_error=`): the URL carries a code only. */
export const ssoRefusalMessages: Record<SsoRefusalCode, string> = {
  domain_not_verified:
    "Your identity provider signed you in with an address your organisation has not verified here. Ask its owner.",
  operator: "Operators sign in with their password and second factor.",
  no_role: "Your groups at your identity provider give you no role in this organisation. Ask your administrator.",
  role_removed: "Your groups no longer give you a role in this organisation, so your membership has ended.",
  no_email: "Your identity provider did not say your email address. Ask your administrator to send it.",
  email_unverified: "Your identity provider has not verified your email address.",
  invalid_response:
    "Your identity provider's answer could not be verified. Try again; if it keeps failing, tell your administrator.",
  expired: "That sign-in expired or was already used. Start again.",
  suspended: "This account is suspended. Contact support to have it resumed.",
  not_you: "Your identity provider confirmed someone other than the person signed in here. Sign in again as yourself.",
};

export function ssoRefusalMessage(code: string | undefined): string | null {
  if (!code) return null;
  return (ssoRefusalMessages as Record<string, string>)[code] ?? "Single sign-on did not work. Start again.";
}
