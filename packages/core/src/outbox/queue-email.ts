import type { DbOrTx } from "@aiaas/db";
import { newId } from "../ids.ts";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  kind: "verify-email" | "reset-password" | "invitation" | "budget-alert" | "payment-failed";
  tenantId?: string | null;
}

/**
 * Queues an email in the outbox. No mail server is reachable in development:
 * the console shows the outbox at /dev/mail, where the links work.
 */
export async function queueEmail(email: OutgoingEmail, db: DbOrTx) {
  return db.outboxEmail.create({
    data: {
      id: newId("email"),
      toAddress: email.to,
      subject: email.subject,
      textBody: email.text,
      kind: email.kind,
      tenantId: email.tenantId ?? null,
    },
  });
}
