import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { consoleEnv } from "@/server/env.ts";
import { deliveredMail, type DevMail } from "@/server/dev-mailbox.ts";
import { services } from "@/server/services.ts";
import { sessionUser } from "@/server/session.ts";

export const metadata: Metadata = { title: "Mail outbox" };
export const dynamic = "force-dynamic";

/**
 * Development only (DEV_MAIL=true), and only for signed-in operators: the
 * mail the workers delivered to the local mail server (DEV_MAILBOX_DIR), or
 * else the outbox, with every reset and invitation link. Anyone else is told
 * the page does not exist.
 */
export default async function DevMailPage() {
  if (!consoleEnv().DEV_MAIL) notFound();
  const user = await sessionUser(await headers());
  if (user?.platformRole !== "operator" || !user.twoFactorEnabled) notFound();
  const { DEV_MAILBOX_DIR } = consoleEnv();
  const emails: DevMail[] = DEV_MAILBOX_DIR
    ? await deliveredMail(DEV_MAILBOX_DIR)
    : (await services().operatorDb.outboxEmail.findMany({ orderBy: { createdAt: "desc" }, take: 100 })).map(
        (email) => ({
          id: email.id,
          at: email.createdAt,
          to: email.toAddress,
          subject: email.subject,
          text: email.textBody,
        }),
      );
  const linkify = (text: string) =>
    text.split(/(https?:\/\/\S+)/g).map((part, index) =>
      /^https?:\/\//.test(part) ? (
        <a key={index} href={part} className="break-all text-indigo-600 underline">
          {part}
        </a>
      ) : (
        part
      ),
    );
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-10">
      <h1 className="text-2xl font-semibold">Mail outbox</h1>
      <p className="text-sm text-zinc-600">
        {DEV_MAILBOX_DIR
          ? "What the workers delivered to the local mail server (SMTP on loopback). Links work."
          : "No mail server is configured: this is the outbox, what would be sent. Links work."}
      </p>
      {emails.length === 0 && <p className="text-sm text-zinc-500">No mail yet.</p>}
      {emails.map((email) => (
        <article key={email.id} className="rounded-lg border border-zinc-200 bg-white p-4" aria-label={email.subject}>
          <p className="text-xs text-zinc-500">
            {email.at.toLocaleString()} · to {email.to}
          </p>
          <h2 className="mt-1 font-semibold">{email.subject}</h2>
          <p className="mt-2 text-sm whitespace-pre-wrap">{linkify(email.text)}</p>
        </article>
      ))}
    </main>
  );
}
