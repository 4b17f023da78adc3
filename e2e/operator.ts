import { readFileSync, writeFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";

const demoFile = () => process.env.DEMO_FILE ?? ".data/demo.json";

export const operatorCredentials = () =>
  (JSON.parse(readFileSync(demoFile(), "utf8")) as { operator: { email: string; password: string } }).operator;

/** Where operator-mfa.setup.ts keeps the key of the authenticator app it set up for the seeded operator. */
const totpFile = () => `${demoFile()}.totp`;

export const rememberOperatorTotp = (secret: string) => writeFileSync(totpFile(), secret, { mode: 0o600 });

/** What the operator's authenticator app shows now. */
export const operatorCode = () =>
  new TOTP({ secret: Secret.fromBase32(readFileSync(totpFile(), "utf8").trim()) }).generate();

/** Email and password on the sign-in page; then whatever it asks next. */
export async function enterPassword(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(operatorCredentials().email);
  await page.getByLabel("Password").fill(operatorCredentials().password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in as the seeded platform operator (password, then a code from the app), who lands in the operator area. */
export async function signInAsOperator(page: Page) {
  await enterPassword(page);
  await page.getByLabel("Code from your authenticator app").fill(operatorCode());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/admin$/);
}
