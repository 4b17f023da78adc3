import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery";

/** Signs up a new account with its own organisation through the UI; returns its email. */
export async function signUp(
  page: Page,
  organisation: string,
  email = `e2e-${randomBytes(5).toString("hex")}@example.com`,
) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Ada Lovelace");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organisation name").fill(organisation);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return email;
}
