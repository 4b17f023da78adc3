import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { chatCompletion, createKeyInConsole } from "./api-key.ts";
import { inviteAndJoin } from "./invite.ts";
import { signInAsOperator } from "./operator.ts";
import { signUp } from "./sign-up.ts";

test("an owner opens billing, sees this period's usage from the ledger and a preview invoice", async ({ page }) => {
  await signUp(page, "Billing Owners");
  const secret = await createKeyInConsole(page, "billing-e2e");
  const response = await chatCompletion(secret, "Let there be", 4);
  expect(response.status).toBe(200);

  await page.getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Billing");
  await expect(page.getByText(/Billing runs ledger-only/)).toBeVisible();
  await expect(page.getByText(/\$5\.00 of usage included each month/)).toBeVisible();
  // The gateway writes the ledger in batches: reload until the charge is there.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("meter", { name: "Included usage" })).not.toHaveAttribute("aria-valuenow", "0", {
      timeout: 1_000,
    });
  }).toPass({ timeout: 30_000 });

  await page.getByRole("link", { name: "Preview" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Invoice preview");
  const lines = page.getByRole("table", { name: "Invoice lines" });
  await expect(lines.getByRole("row", { name: /kjv-gpt-mini/ })).toContainText("1");
  await expect(lines.getByRole("row", { name: /Included usage/ })).toBeVisible();
  // Within the free allowance: nothing to pay.
  await expect(page.getByLabel("Total due")).toHaveText("$0.00");
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeVisible();
});

test("a developer sees no billing link and is refused the billing page", async ({ browser }) => {
  // Two people sign up and an invitation is mailed: three round trips through the mail server.
  test.slow();
  const owner = await (await browser.newContext()).newPage();
  const developer = await (await browser.newContext()).newPage();
  await signUp(owner, "Billing Roles");
  await inviteAndJoin(owner, developer, "Billing Roles", "developer");
  await expect(developer.getByRole("link", { name: "API keys" })).toBeVisible();
  await expect(developer.getByRole("link", { name: "Billing" })).toHaveCount(0);
  await developer.goto("/billing");
  await expect(developer.getByRole("main").getByRole("alert")).toHaveText(
    "Your role (developer) does not allow billing:read.",
  );
});

test("an operator grants credit that the customer sees, and cannot backdate a price", async ({ browser }) => {
  const customer = await (await browser.newContext()).newPage();
  const name = `Credited ${randomBytes(3).toString("hex")}`;
  await signUp(customer, name);

  const operator = await (await browser.newContext()).newPage();
  await signInAsOperator(operator);
  await operator.goto("/admin");
  await operator.getByLabel("Search by name or slug").fill(name.toLowerCase());
  await operator.getByRole("link", { name }).click();
  await expect(operator.getByRole("heading", { level: 1 })).toHaveText(name);

  // The tenant's page grants credit; a grant needs its reason.
  await operator.getByRole("button", { name: "Grant credit" }).click();
  const first = operator.getByRole("dialog", { name: `Grant credit to ${name}` });
  await first.getByLabel("Amount (USD)").fill("12.5");
  await first.getByRole("button", { name: "Grant" }).click();
  await expect(first.getByRole("alert")).toHaveText("Say why: it is on the tenant's invoice and in the audit log.");
  await first.getByLabel("Reason (on the invoice and in the audit log)").fill("launch credit");
  await first.getByRole("button", { name: "Grant" }).click();
  await expect(first).toBeHidden();

  // Billed tenants (with ledger entries) are listed in billing, with their credit.
  await operator.goto("/admin/billing");
  const row = operator.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("$12.50");
  await row.getByRole("button", { name: "Grant credit" }).click();
  const dialog = operator.getByRole("dialog", { name: `Grant credit to ${name}` });
  await dialog.getByLabel("Amount (USD)").fill("7.5");
  await dialog.getByLabel("Reason (on the invoice and in the audit log)").fill("support ticket 42");
  await dialog.getByRole("button", { name: "Grant" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("$20.00");
  // Usage the gateways could not write is shown too (int tests leave some in this database), with its reason.
  await expect(operator.getByRole("heading", { name: "Usage not recorded" })).toBeVisible();
  await expect(
    operator
      .getByRole("table", { name: "Usage not recorded" })
      .or(operator.getByText("Every answered request is in the ledger.")),
  ).toBeVisible();

  await customer.goto("/billing");
  await expect(customer.getByText("Credit balance").locator("..")).toContainText("$20.00");
  await customer.goto("/audit");
  await expect(customer.getByRole("row", { name: /billing\.credit\.grant/ })).toHaveCount(2);

  await operator.goto("/admin/prices");
  // The model's own price (its int8 version has a row of its own, kjv-gpt-mini@int8-…).
  const model = operator.getByRole("row", { name: /kjv-gpt-mini/ }).filter({ hasNotText: "kjv-gpt-mini@" });
  await model.getByRole("button", { name: "New price" }).click();
  const price = operator.getByRole("dialog", { name: "New price of kjv-gpt-mini" });
  await price.getByLabel("Takes effect (your local time; empty: now)").fill("2020-01-01T00:00");
  await price.getByRole("button", { name: "Announce price" }).click();
  await expect(price.getByRole("alert")).toHaveText(
    "A price takes effect now or later: past charges keep the price they were made at.",
  );
});

test("the Stripe webhook says plainly that this installation is ledger-only", async ({ request }) => {
  const response = await request.post("/api/stripe/webhook", {
    data: { id: "evt_1", type: "checkout.session.completed" },
    headers: { "stripe-signature": "t=1,v1=00" },
  });
  expect(response.status()).toBe(404);
  expect(await response.json()).toEqual({ error: "Stripe is not configured here: billing runs ledger-only." });
});
