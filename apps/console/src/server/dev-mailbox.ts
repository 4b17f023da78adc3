import "server-only";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

export interface DevMail {
  id: string;
  at: Date;
  to: string;
  subject: string;
  text: string;
}

/** What scripts/lib/mail-catcher.mjs writes per mail. */
const caught = z.object({
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  receivedAt: z.string(),
});

/** The newest mails the local mail catcher received (one JSON file each, named by arrival), at most `limit`. */
export async function deliveredMail(dir: string, limit = 100): Promise<DevMail[]> {
  const names = (await readdir(dir).catch(() => []))
    .filter((name) => name.endsWith(".json"))
    .sort()
    .reverse()
    .slice(0, limit);
  return Promise.all(
    names.map(async (name) => {
      const mail = caught.parse(JSON.parse(await readFile(join(dir, name), "utf8")));
      return {
        id: name,
        at: new Date(mail.receivedAt),
        to: mail.to.join(", "),
        subject: mail.subject,
        text: mail.text,
      };
    }),
  );
}
