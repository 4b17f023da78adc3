import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { mailedLink } from "./mailbox.ts";

export const PASSWORD = "correct horse battery";

/**
 * Signs up a new account through the UI as a person would: the account,
 * then the link mailed to its address (read from the development outbox),
 * then its own organisation. Returns its email.
 */
export async function signUp(
  page: Page,
  organisation: string,
  email = `e2e-${randomBytes(5).toString("hex")}@example.com`,
) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Ada Lovelace");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Sign-up hashes the password (scrypt) and queues the confirmation mail: slower than a page on a busy machine.
  await expect(page).toHaveURL(/\/onboarding$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const browser = page.context().browser();
  if (!browser) throw new Error("the page has no browser");
  await page.goto(await mailedLink(browser, "Confirm your email for aiaas", email));
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByLabel("Organisation name").fill(organisation);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return email;
}
