import { type Browser } from "@playwright/test";
import { signInAsOperator } from "./operator.ts";

/**
 * The link in the newest mail titled `subject` to `to`, read from the
 * development outbox at /dev/mail, which only a signed-in operator may open
 * (in a browser context of its own, so the caller's session is untouched).
 */
export async function mailedLink(browser: Browser, subject: string, to: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const operator = await context.newPage();
    await signInAsOperator(operator);
    await operator.goto("/dev/mail");
    const mail = operator.getByRole("article", { name: subject }).filter({ hasText: to }).first();
    return (await mail.getByRole("link").getAttribute("href")) ?? "";
  } finally {
    await context.close();
  }
}
