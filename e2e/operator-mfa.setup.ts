import { expect, test } from "@playwright/test";
import {
  enterPassword,
  operatorCode,
  operatorCredentials,
  rememberOperatorSession,
  rememberOperatorTotp,
} from "./operator.ts";

// A setup project (playwright.config.ts): every operator test signs in with the app this one sets up.
test("an operator without two-factor sign-in cannot reach /admin; sets up TOTP; a recovery code works once", async ({
  page,
  baseURL,
}) => {
  const codeField = page.getByLabel("Code from your authenticator app");
  const setUpHeading = page.getByRole("heading", { name: "Set up two-factor sign-in" });
  await enterPassword(page);
  await expect(codeField.or(setUpHeading)).toBeVisible();
  if (await codeField.isVisible()) {
    // Set up by an earlier run against this database: turn it off to walk the whole way again.
    await codeField.fill(operatorCode(-30_000));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/admin$/);
    const off = await page.request.post("/api/auth/two-factor/disable", {
      headers: { origin: baseURL ?? "" },
      data: { password: operatorCredentials().password },
    });
    expect(off.status()).toBe(200);
  }

  await page.goto("/admin");
  await expect(page).toHaveURL(/\/two-factor\?reason=operator$/);
  await expect(page.getByRole("status")).toHaveText(
    "Operators must use two-factor sign-in: set it up to reach the operator area.",
  );
  await page.getByLabel("Password").fill(operatorCredentials().password);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const secret = (await page.getByLabel("Key for your authenticator app").textContent()) ?? "";
  const recoveryCodes = await page
    .getByRole("list", { name: "Recovery codes" })
    .getByRole("listitem")
    .allTextContents();
  expect(recoveryCodes).toHaveLength(10);
  rememberOperatorTotp(secret);
  await page.getByLabel("Code from the app").fill(operatorCode());
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page).toHaveURL(/\/admin$/);

  const signOut = async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
  };
  const useRecoveryCode = async (code: string) => {
    await enterPassword(page);
    await page.getByRole("button", { name: "Lost the app? Use a recovery code" }).click();
    await page.getByLabel("Recovery code").fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
  };
  await signOut();
  await useRecoveryCode(recoveryCodes[0] ?? "");
  await expect(page).toHaveURL(/\/admin$/);
  await signOut();
  await useRecoveryCode(recoveryCodes[0] ?? "");
  await expect(page.locator("form").getByRole("alert")).toHaveText(
    "That recovery code does not work (each works once).",
  );
  await page.getByRole("button", { name: "Use the app's code instead" }).click();
  // The code that set it up was used: the app's next one.
  await page.getByLabel("Code from your authenticator app").fill(operatorCode(30_000));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await rememberOperatorSession(page);
});
