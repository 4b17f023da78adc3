import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { chatCompletion, createKeyInConsole } from "./api-key.ts";
import { signInAsOperator } from "./operator.ts";
import { signUp } from "./sign-up.ts";

const chat = (secret: string) => chatCompletion(secret, "And God said", 2);

test("a tenant admin holds a key tighter than the organization and sees its use against each limit", async ({
  page,
}) => {
  await signUp(page, "Limits Org");
  const secret = await createKeyInConsole(page, "limited-e2e");

  await page.goto("/limits");
  const main = page.getByRole("main");
  await expect(main.getByRole("meter", { name: "Requests per minute" }).first()).toHaveAttribute("aria-valuemax", "60");
  const key = main.getByRole("listitem", { name: "Key limited-e2e" });
  await expect(key).toContainText("No limits of its own");

  await key.getByRole("button", { name: "Edit limits" }).click();
  const dialog = page.getByRole("dialog", { name: "Limits of limited-e2e" });
  await expect(dialog.getByLabel("Requests / minute")).toHaveAttribute("placeholder", "60");
  await dialog.getByLabel("Requests / minute").fill("100");
  await dialog.getByRole("button", { name: "Save limits" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(
    "A key's requests per minute (100) cannot exceed the organization's (60).",
  );
  await dialog.getByLabel("Requests / minute").fill("0");
  await dialog.getByRole("button", { name: "Save limits" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Requests per minute must be a positive whole number.");
  await dialog.getByLabel("Requests / minute").fill("2");
  await dialog.getByRole("button", { name: "Save limits" }).click();
  await expect(dialog).toBeHidden();
  const keyRpm = key.getByRole("meter", { name: "Requests per minute" });
  await expect(keyRpm).toHaveAttribute("aria-valuetext", "0 of 2");

  // The gateway holds the key to 2 a minute at once, naming the limit.
  expect((await chat(secret)).status).toBe(200);
  expect((await chat(secret)).status).toBe(200);
  const refused = await chat(secret);
  expect(refused.status).toBe(429);
  expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("this API key");

  await expect(keyRpm).toHaveAttribute("aria-valuetext", "2 of 2", { timeout: 10_000 });
  await expect(main.getByRole("meter", { name: "Requests per minute" }).first()).toHaveAttribute(
    "aria-valuetext",
    "2 of 60",
  );

  await page.goto("/audit");
  await expect(page.getByRole("row", { name: /api_key\.limits\.set/ })).toHaveCount(1);
});

test("an operator overrides a tenant's plan limits and sees plans and live usage; the tenant sees the raise", async ({
  browser,
}) => {
  const customer = await (await browser.newContext()).newPage();
  const name = `Pilot ${randomBytes(3).toString("hex")}`;
  await signUp(customer, name);

  const operator = await (await browser.newContext()).newPage();
  await signInAsOperator(operator);

  await operator.goto("/admin/plans");
  const free = operator.getByRole("row", { name: /Free/ });
  await expect(free).toContainText("60");
  await free.getByRole("button", { name: "Limits" }).click();
  await expect(operator.getByRole("dialog").getByLabel("Requests / minute")).toHaveValue("60");
  await operator.keyboard.press("Escape");

  // A plan of custom terms; its slug must be a handle.
  const slug = `custom-${randomBytes(3).toString("hex")}`;
  await operator.getByRole("button", { name: "New plan" }).click();
  const newPlan = operator.getByRole("dialog", { name: "New plan" });
  await newPlan.getByLabel("Slug").fill("Not A Slug");
  await newPlan.getByLabel("Name").fill("Custom terms");
  await newPlan.getByRole("button", { name: "Create plan" }).click();
  await expect(newPlan.getByRole("alert")).toContainText("slug must be 3-40 characters");
  await newPlan.getByLabel("Slug").fill(slug);
  await newPlan.getByLabel("Price per month (USD)").fill("500");
  await newPlan.getByRole("button", { name: "Create plan" }).click();
  await expect(newPlan).toBeHidden();
  await expect(operator.getByRole("row", { name: new RegExp(slug) })).toContainText("$500.00");

  await operator.goto("/admin");
  await operator.getByLabel("Search by name or slug").fill(name.toLowerCase());
  await operator.getByRole("link", { name }).click();
  await operator.getByRole("button", { name: "Override limits" }).click();
  const dialog = operator.getByRole("dialog", { name: "Override the plan's limits" });
  await expect(dialog.getByLabel("Requests / minute")).toHaveAttribute("placeholder", "60");
  await dialog.getByLabel("Requests / minute").fill("600");
  await dialog.getByLabel("Reason (recorded in the audit log)").fill("pilot customer");
  await dialog.getByRole("button", { name: "Save limits" }).click();
  await expect(dialog).toBeHidden();
  await expect(operator.getByRole("meter", { name: "Requests per minute" })).toHaveAttribute("aria-valuemax", "600");
  await expect(operator.getByText(/Overridden by .+: pilot customer\./)).toBeVisible();

  await operator.goto("/admin/usage");
  await operator.getByLabel("Search by name or slug").fill(name.toLowerCase());
  await expect(operator.getByRole("row", { name: new RegExp(name) })).toContainText("0 / 600");
  await expect(operator.getByText("* limits overridden for this tenant.")).toBeVisible();
  await operator.getByLabel("Search by name or slug").fill("no-such-tenant-anywhere");
  await expect(operator.getByText("No active tenant matches.")).toBeVisible();
  await expect(operator.getByText("* limits overridden for this tenant.")).toBeHidden();

  await customer.goto("/limits");
  await expect(customer.getByText("raised by an operator")).toBeVisible();
  await expect(customer.getByRole("meter", { name: "Requests per minute" }).first()).toHaveAttribute(
    "aria-valuemax",
    "600",
  );
  await customer.goto("/audit");
  await expect(customer.getByRole("row", { name: /quota\.override\.set/ })).toContainText("operator");
});
