import type { Db } from "@aiaas/db";

/** What the sender needs of nodemailer's transport: one call per mail. */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html?: string;
    messageId: string;
  }): Promise<unknown>;
}

export interface OutboxSenderOptions {
  /** The From header, e.g. `aiaas <no-reply@example.com>`. */
  from: string;
  /** How long a claim holds: mail a sender took and never marked (it died) is sent by another after this. */
  claimMs?: number;
  batchSize?: number;
  /** Attempts before a mail is given up (failed_at); between them 1 min, 2 min, 4 min … up to an hour. */
  maxAttempts?: number;
  onFailed?: (mail: { id: string; kind: string; attempts: number; gaveUp: boolean }, error: unknown) => void;
}

interface ClaimedMail {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  message_id: string;
  kind: string;
  attempts: number;
}

const backoffMs = (attempts: number) => Math.min(3_600_000, 60_000 * 2 ** Math.max(0, attempts - 1));

/**
 * Takes the mail that is due, at most `batchSize`, in one statement: rows
 * another sender holds are skipped (FOR UPDATE SKIP LOCKED), and each taken
 * row is claimed until `claimMs` from now and counted as an attempt.
 */
function claimDueMail(db: Db, claimMs: number, batchSize: number) {
  return db.$queryRaw<ClaimedMail[]>`
    UPDATE outbox_emails
    SET claimed_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => ${claimMs / 1000}), attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox_emails
      WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= (now() AT TIME ZONE 'UTC')
        AND (claimed_until IS NULL OR claimed_until < (now() AT TIME ZONE 'UTC'))
      ORDER BY created_at
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, to_address, subject, text_body, html_body, message_id, kind, attempts`;
}

/**
 * One pass of the outbox: sends what is due and marks each mail sent, or
 * schedules its next attempt. At least once: a sender killed between the
 * server's acceptance and the mark leaves the mail to be sent again, with
 * the same Message-ID, once its claim has run out. Returns how many were sent.
 */
export async function sendOutbox(db: Db, transport: MailTransport, options: OutboxSenderOptions): Promise<number> {
  const { claimMs = 60_000, batchSize = 20, maxAttempts = 8 } = options;
  const due = await claimDueMail(db, claimMs, batchSize);
  let sent = 0;
  for (const mail of due) {
    try {
      await transport.sendMail({
        from: options.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        ...(mail.html_body !== null && { html: mail.html_body }),
        messageId: mail.message_id,
      });
      await db.outboxEmail.update({
        where: { id: mail.id },
        data: { sentAt: new Date(), claimedUntil: null, lastError: null },
      });
      sent += 1;
    } catch (error) {
      const gaveUp = mail.attempts >= maxAttempts;
      await db.outboxEmail.update({
        where: { id: mail.id },
        data: {
          claimedUntil: null,
          lastError: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
          nextAttemptAt: new Date(Date.now() + backoffMs(mail.attempts)),
          failedAt: gaveUp ? new Date() : null,
        },
      });
      options.onFailed?.({ id: mail.id, kind: mail.kind, attempts: mail.attempts, gaveUp }, error);
    }
  }
  return sent;
}

/** Runs `sendOutbox` every `everyMs` until stopped; a pass that fails is reported and the next one runs. */
export function startOutboxSender(
  db: Db,
  transport: MailTransport,
  options: OutboxSenderOptions & { everyMs: number; onError: (error: unknown) => void },
) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = sendOutbox(db, transport, options)
      .catch(options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, options.everyMs);
      });
  };
  timer = setTimeout(pass, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
