import { readFileSync, writeFileSync } from "node:fs";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";

const demoFile = () => process.env.DEMO_FILE ?? ".data/demo.json";

export const operatorCredentials = () =>
  (JSON.parse(readFileSync(demoFile(), "utf8")) as { operator: { email: string; password: string } }).operator;

/** Where operator-mfa.setup.ts keeps the key of the authenticator app it set up for the seeded operator. */
const totpFile = () => `${demoFile()}.totp`;

export const rememberOperatorTotp = (secret: string) => writeFileSync(totpFile(), secret, { mode: 0o600 });

/**
 * What the operator's authenticator app shows now, or `offsetMs` from now:
 * each code signs in once, and those of the steps either side are accepted.
 */
export const operatorCode = (offsetMs = 0) =>
  new TOTP({ secret: Secret.fromBase32(readFileSync(totpFile(), "utf8").trim()) }).generate({
    timestamp: Date.now() + offsetMs,
  });

/** The signed-in operator's cookies, kept by operator-mfa.setup.ts (a code signs in only once). */
const sessionFile = () => `${demoFile()}.operator-session.json`;

export const rememberOperatorSession = async (page: Page) => {
  await page.context().storageState({ path: sessionFile() });
};

/** Email and password on the sign-in page; then whatever it asks next. */
export async function enterPassword(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(operatorCredentials().email);
  await page.getByLabel("Password").fill(operatorCredentials().password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * The seeded platform operator, signed in (by the setup project, with
 * password and the app's code), in the operator area. Tests share that
 * session: none of them signs it out.
 */
export async function signInAsOperator(page: Page) {
  await useOperatorSession(page.context());
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin$/);
}

/** The operator's session in `context`, without opening a page. */
export async function useOperatorSession(context: BrowserContext) {
  const { cookies } = JSON.parse(readFileSync(sessionFile(), "utf8")) as {
    cookies: Parameters<BrowserContext["addCookies"]>[0];
  };
  await context.addCookies(cookies);
}
