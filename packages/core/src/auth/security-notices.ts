import type { OutgoingEmail } from "../outbox/queue-email.ts";

/** The account changes a person is told about by mail (ASVS 2.2.3, 2.5.5), by audit action. */
const notices: Record<string, { subject: string; what: string }> = {
  "auth.password_change": {
    subject: "Your aiaas password was changed",
    what: "The password of your aiaas account was changed, and your other sessions were signed out.",
  },
  "auth.password_reset": {
    subject: "Your aiaas password was reset",
    what: "The password of your aiaas account was reset with a link mailed to this address; every session was signed out.",
  },
  "auth.mfa_enable": {
    subject: "Two-factor sign-in is on for your aiaas account",
    what: "Two-factor sign-in was turned on for your aiaas account: signing in now also asks for a code from an authenticator app.",
  },
  "auth.mfa_disable": {
    subject: "Two-factor sign-in is off for your aiaas account",
    what: "Two-factor sign-in was turned off for your aiaas account: a password alone now signs in.",
  },
  "auth.mfa_recovery_code_used": {
    subject: "A recovery code signed in to your aiaas account",
    what: "One of your recovery codes was used to sign in to your aiaas account; it will not work again.",
  },
};

/** The mail that tells a person about a change to how they sign in, or null for other actions. */
export function securityNotice(
  action: string,
  account: { email: string; ip: string | null; at: Date; consoleUrl: string },
): OutgoingEmail | null {
  const notice = notices[action];
  if (!notice) return null;
  return {
    to: account.email,
    kind: "security-notice",
    subject: notice.subject,
    text: `${notice.what}\n\nWhen: ${account.at.toISOString()}\nFrom the address: ${account.ip ?? "unknown"}\n\nIf this was you, there is nothing to do. If it was not, reset your password now (${account.consoleUrl.replace(/\/$/, "")}/forgot-password) and tell your organisation's owner.`,
  };
}
