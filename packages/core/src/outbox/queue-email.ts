import type { DbOrTx } from "@aiaas/db";
import { newId } from "../ids.ts";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  kind: "verify-email" | "reset-password" | "invitation" | "budget-alert" | "payment-failed" | "security-notice";
  tenantId?: string | null;
}

/**
 * Queues an email in the outbox, in the caller's transaction: it is sent
 * (workers, with SMTP_URL) only if the change that wrote it commits. Its
 * Message-ID is fixed now, so that a mail sent twice is one mail.
 */
export async function queueEmail(email: OutgoingEmail, db: DbOrTx) {
  const id = newId("email");
  return db.outboxEmail.create({
    data: {
      id,
      messageId: `<${id}@aiaas>`,
      toAddress: email.to,
      subject: email.subject,
      textBody: email.text,
      kind: email.kind,
      tenantId: email.tenantId ?? null,
    },
  });
}
