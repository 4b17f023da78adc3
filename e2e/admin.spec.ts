import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signUp } from "./sign-up.ts";

const demo = () =>
  JSON.parse(readFileSync(process.env.DEMO_FILE ?? ".data/demo.json", "utf8")) as {
    operator: { email: string; password: string };
  };

test("an operator finds a tenant, suspends and resumes it, and customers cannot enter the operator area", async ({
  browser,
}) => {
  const customer = await (await browser.newContext()).newPage();
  const name = `Target ${randomBytes(3).toString("hex")}`;
  await signUp(customer, name);
  const refused = await customer.goto("/admin");
  expect(refused?.status()).toBe(404);

  const operator = await (await browser.newContext()).newPage();
  await operator.goto("/sign-in");
  await operator.getByLabel("Email").fill(demo().operator.email);
  await operator.getByLabel("Password").fill(demo().operator.password);
  await operator.getByRole("button", { name: "Sign in" }).click();
  await expect(operator).toHaveURL(/\/admin$/);

  await operator.getByLabel("Search by name or slug").fill(name.toLowerCase());
  await expect(operator.getByRole("row")).toHaveCount(2);
  await operator.getByRole("link", { name }).click();
  await expect(operator.getByRole("heading", { level: 1 })).toHaveText(name);

  await operator.getByLabel("Reason (recorded in the audit log)").fill("abuse report");
  await operator.getByRole("button", { name: "Suspend tenant" }).click();
  await expect(operator.getByText("Suspended: abuse report. Its API keys are refused.")).toBeVisible();
  await operator.getByRole("button", { name: "Resume tenant" }).click();
  await expect(operator.getByRole("button", { name: "Suspend tenant" })).toBeVisible();

  await customer.goto("/audit");
  await expect(customer.getByRole("row").locator("code")).toHaveText([
    "tenant.resume",
    "tenant.suspend",
    "tenant.create",
  ]);
  await expect(customer.getByRole("row", { name: /tenant\.suspend/ })).toContainText("operator");
});

test("an operator sees the running worker, its device and the models it serves", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(demo().operator.email);
  await page.getByLabel("Password").fill(demo().operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Workers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Workers");
  const live = page.getByRole("row").filter({ hasText: "live" }).first();
  await expect(live).toContainText("kjv-gpt-mini, paddleocr-v4");
  await expect(live).toContainText("CPU");
});
