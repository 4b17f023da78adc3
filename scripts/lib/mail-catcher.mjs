// The local mail server of `npm start` and `npm test`: workers deliver to it
// over SMTP on loopback, and it keeps each mail as a JSON file in a folder,
// which the console's /dev/mail shows (DEV_MAILBOX_DIR). Loaded after the
// dependencies are installed.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export async function startMailCatcher({ dir, port }) {
  const { SMTPServer } = await import("smtp-server");
  const { simpleParser } = await import("mailparser");
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail = {
            messageId: parsed.messageId ?? "",
            from: parsed.from?.text ?? "",
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            receivedAt: new Date().toISOString(),
          };
          writeFileSync(join(dir, `${Date.now()}-${randomUUID()}.json`), JSON.stringify(mail));
          callback();
        })
        .catch((error) => callback(error));
    },
  });
  await new Promise((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
