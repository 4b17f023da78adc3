import { randomBytes } from "node:crypto";
import { createTransport } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueEmail, type OutgoingEmail } from "@aiaas/core/tenants";
import { testDb, testRedisUrl } from "@aiaas/core/testing";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { startWorkerProcess, testMasterKeys } from "../testing/worker-process.ts";
import { sendOutbox, type MailTransport } from "./outbox-sender.ts";

const db = testDb();

/** A real SMTP server on loopback that keeps what it is given; `refuse` names recipients it rejects. */
interface Received {
  to: string[];
  messageId: string;
  raw: string;
}
const received: Received[] = [];
const refuse = new Set<string>();
/** Called with each mail once its data has arrived, before the server answers (a test may kill the sender then). */
let onReceived: (mail: Received) => Promise<void> = async () => {};
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (refuse.has(address.address)) return callback(new Error("mailbox unavailable"));
    callback();
  },
  onData(stream, session, callback) {
    let raw = "";
    stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    stream.on("end", () => {
      const messageId = /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? "";
      const mail = { to: session.envelope.rcptTo.map((rcpt) => rcpt.address), messageId, raw };
      received.push(mail);
      void onReceived(mail).then(() => callback());
    });
  },
});
let transport: MailTransport;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  transport = createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.$disconnect();
});

const from = "aiaas <no-reply@example.com>";
const address = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;
const mail = (to: string, kind: OutgoingEmail["kind"] = "verify-email"): OutgoingEmail => ({
  to,
  kind,
  subject: `Subject for ${to}`,
  text: `Open https://console.example.com/x?to=${to}`,
});
const copiesTo = (to: string) => received.filter((one) => one.to.includes(to));
/** Sends until nothing is due for these addresses (other tests' mail shares the outbox). */
async function drain(options: Parameters<typeof sendOutbox>[2] = { from }) {
  while ((await sendOutbox(db, transport, options)) > 0);
}

describe("the outbox sender, against a real SMTP server", () => {
  it("delivers every kind of mail once, with the Message-ID fixed when it was queued, and marks it sent", async () => {
    const kinds = ["verify-email", "reset-password", "invitation", "budget-alert", "payment-failed"] as const;
    const queued = await Promise.all(kinds.map((kind) => queueEmail(mail(address(kind), kind), db)));
    await drain();
    await drain();
    for (const row of queued) {
      const copies = copiesTo(row.toAddress);
      expect(copies.map((copy) => copy.messageId)).toEqual([row.messageId]);
      expect(copies[0]?.raw).toContain(`Subject: ${row.subject}`);
      expect(copies[0]?.raw).toContain("From: aiaas <no-reply@example.com>");
      const stored = await db.outboxEmail.findUniqueOrThrow({ where: { id: row.id } });
      expect(stored.sentAt).not.toBeNull();
      expect(stored.attempts).toBe(1);
    }
  });

  it("two senders at once send each mail once (rows another sender holds are skipped)", async () => {
    const queued = await Promise.all(Array.from({ length: 30 }, () => queueEmail(mail(address("parallel")), db)));
    await Promise.all([drain({ from, batchSize: 3 }), drain({ from, batchSize: 3 })]);
    for (const row of queued) expect(copiesTo(row.toAddress)).toHaveLength(1);
  });

  it("schedules a refused mail again with backoff, and gives it up after the last attempt", async () => {
    const to = address("refused");
    refuse.add(to);
    const failures: { gaveUp: boolean; attempts: number }[] = [];
    const row = await queueEmail(mail(to), db);
    const options = {
      from,
      maxAttempts: 2,
      onFailed: (failed: { gaveUp: boolean; attempts: number }) => failures.push(failed),
    };
    await drain(options);
    let stored = await db.outboxEmail.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({ sentAt: null, failedAt: null, attempts: 1 });
    expect(stored.lastError).toMatch(/mailbox unavailable/);
    expect(stored.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Due again: the second attempt is the last.
    await db.outboxEmail.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    await drain(options);
    stored = await db.outboxEmail.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.failedAt).not.toBeNull();
    expect(failures).toEqual([
      { id: row.id, kind: "verify-email", attempts: 1, gaveUp: false },
      { id: row.id, kind: "verify-email", attempts: 2, gaveUp: true },
    ]);
    await db.outboxEmail.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    await drain(options);
    expect(copiesTo(to)).toHaveLength(0);
  });

  it("a sender that dies after the server took a mail leaves it to another, which sends the same mail again", async () => {
    const to = address("died");
    const row = await queueEmail(mail(to), db);
    // This sender hands the mail to the server, then never comes back (killed before marking it).
    const dying: MailTransport = {
      sendMail: async (message) => {
        await transport.sendMail(message);
        return new Promise(() => {});
      },
    };
    // A claim long enough that a busy machine's slow first send still falls inside it.
    void sendOutbox(db, dying, { from, claimMs: 2_000 });
    await expect.poll(() => copiesTo(to).length, { timeout: 10_000 }).toBe(1);
    // Its claim holds: nobody else takes the mail meanwhile.
    await drain();
    expect(copiesTo(to)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await drain();
    const copies = copiesTo(to);
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((copy) => copy.messageId))).toEqual(new Set([row.messageId]));
    expect((await db.outboxEmail.findUniqueOrThrow({ where: { id: row.id } })).sentAt).not.toBeNull();
  });

  it("a worker killed -9 while sending loses no mail: each is delivered, the one it never marked again with the same Message-ID", async () => {
    const { port } = server.server.address() as { port: number };
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      MASTER_KEYS: testMasterKeys(),
      QUEUE_PREFIX: `mail${randomBytes(4).toString("hex")}`,
      WORKER_MODELS: "echo",
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      OUTBOX_SEND_EVERY_MS: "100",
      OUTBOX_CLAIM_MS: "1500",
    };
    const kinds: OutgoingEmail["kind"][] = [
      "verify-email",
      "reset-password",
      "invitation",
      "budget-alert",
      "payment-failed",
    ];
    const rows = await Promise.all(
      Array.from({ length: 15 }, (_, i) => queueEmail(mail(address(`kill${i}`), kinds[i % kinds.length]), db)),
    );
    const ours = new Set(rows.map((row) => row.toAddress));
    const first = await startWorkerProcess(env);
    // The fifth of ours to arrive: the server has the whole mail, the worker is killed before it hears back.
    let arrived = 0;
    let killedOn: string | undefined;
    onReceived = async (delivered) => {
      if (!delivered.to.some((to) => ours.has(to)) || ++arrived !== 5) return;
      killedOn = delivered.messageId;
      first.kill("SIGKILL");
      await first.exited;
    };
    await expect.poll(() => killedOn, { timeout: 20_000 }).toBeDefined();
    onReceived = async () => {};
    const second = await startWorkerProcess(env);
    try {
      await expect
        .poll(() => db.outboxEmail.count({ where: { id: { in: rows.map(({ id }) => id) }, sentAt: null } }), {
          timeout: 20_000,
        })
        .toBe(0);
    } finally {
      second.kill("SIGTERM");
      await second.exited;
    }
    const copies = received.filter((one) => one.to.some((to) => ours.has(to)));
    const messageIds = copies.map(({ messageId }) => messageId);
    // Exactly one Message-ID per mail, each the one fixed when it was queued; only the interrupted one twice.
    expect(new Set(messageIds)).toEqual(new Set(rows.map(({ messageId }) => messageId)));
    expect(messageIds.filter((id) => id === killedOn)).toHaveLength(2);
    expect(copies).toHaveLength(rows.length + 1);
  }, 90_000);
});
