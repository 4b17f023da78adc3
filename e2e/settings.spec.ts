import { expect, test } from "@playwright/test";
import { signUp } from "./sign-up.ts";

test("an owner renames the organisation and chooses how long prompts are kept", async ({ page }) => {
  await signUp(page, "First Name Ltd");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByLabel("Name")).toHaveValue("First Name Ltd");
  await expect(page.getByLabel("Do not keep prompts or completions")).toBeChecked();

  await page.getByLabel("Name").fill("Second Name Ltd");
  await page.getByLabel("Keep for 30 days").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue("Second Name Ltd");
  await expect(page.getByLabel("Keep for 30 days")).toBeChecked();
  await expect(page.getByRole("button", { name: "Switch organisation" })).toHaveText("Second Name Ltd");
});

test("the console works at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signUp(page, "Pocket Co");
  // A click while the dashboard is still hydrating can be lost: click again until the page changes.
  await expect(async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await expect(page).toHaveURL(/\/keys$/, { timeout: 2_000 });
  }).toPass();
  await expect(page.getByRole("button", { name: "Create key" })).toBeInViewport();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath("phone-keys.png") });
});
