/** Why someone is not let in through SSO: a code the sign-in page words (never text from a URL). */
export const ssoRefusalCodes = [
  "domain_not_verified",
  "operator",
  "no_role",
  "role_removed",
  "no_email",
  "email_unverified",
  "invalid_response",
  "expired",
  "suspended",
  "not_you",
] as const;
export type SsoRefusalCode = (typeof ssoRefusalCodes)[number];

export class SsoRefusal extends Error {
  override name = "SsoRefusal";
  constructor(
    readonly code: SsoRefusalCode,
    message: string,
  ) {
    super(message);
  }
}
