import { expect, type Browser } from "@playwright/test";
import { useOperatorSession } from "./operator.ts";

/**
 * The link in the mail titled `subject` to `to`, as delivered over SMTP to
 * the local mail server and shown at /dev/mail, which only a signed-in
 * operator may open (in a browser context of its own, so the caller's
 * session is untouched). Waits for the worker to send it.
 */
export async function mailedLink(browser: Browser, subject: string, to: string): Promise<string> {
  const context = await browser.newContext();
  try {
    await useOperatorSession(context);
    const operator = await context.newPage();
    const mail = operator.getByRole("article", { name: subject }).filter({ hasText: to }).first();
    await expect(async () => {
      await operator.goto("/dev/mail");
      await expect(mail).toBeVisible({ timeout: 250 });
    }).toPass({ timeout: 20_000 });
    return (await mail.getByRole("link").getAttribute("href")) ?? "";
  } finally {
    await context.close();
  }
}
