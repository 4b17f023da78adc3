import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signInAsOperator } from "./operator.ts";
import { signUp } from "./sign-up.ts";

test("an operator finds a tenant, suspends and resumes it, grants it the echo model, and customers cannot enter the operator area", async ({
  browser,
}) => {
  const customer = await (await browser.newContext()).newPage();
  const name = `Target ${randomBytes(3).toString("hex")}`;
  await signUp(customer, name);
  const refused = await customer.goto("/admin");
  expect(refused?.status()).toBe(404);

  const operator = await (await browser.newContext()).newPage();
  await signInAsOperator(operator);

  // A tenant's page, one level up, is the tenant list.
  await operator.goto("/admin/tenants");
  await expect(operator).toHaveURL(/\/admin$/);
  await operator.getByLabel("Search by name or slug").fill(name.toUpperCase());
  await expect(operator.getByRole("row")).toHaveCount(2);
  await operator.getByRole("link", { name }).click();
  await expect(operator.getByRole("heading", { level: 1 })).toHaveText(name);

  await operator.getByLabel("Reason (recorded in the audit log)").fill("abuse report");
  await operator.getByRole("button", { name: "Suspend tenant" }).click();
  await expect(operator.getByText("Suspended: abuse report. Its API keys are refused.")).toBeVisible();
  await operator.getByRole("button", { name: "Resume tenant" }).click();
  await expect(operator.getByRole("button", { name: "Suspend tenant" })).toBeVisible();
  const echo = operator.getByRole("table", { name: "Restricted models" }).getByRole("row", { name: /echo/ });
  await expect(echo).toContainText("Not granted");
  await echo.getByRole("button", { name: "Grant echo" }).click();
  await expect(echo).toContainText("Granted");
  await expect(echo.getByRole("button", { name: "Revoke echo" })).toBeVisible();

  await customer.goto("/audit");
  const actions = customer.getByRole("row").locator("code");
  await expect(actions.first()).toHaveText("model.access.grant");
  // The operator's looks at this organisation are in its log too (once a minute per page they read).
  const changes = (await actions.allTextContents()).filter((action) => action !== "operator.viewed");
  expect(changes).toEqual(["model.access.grant", "tenant.resume", "tenant.suspend", "tenant.create"]);
  await expect(customer.getByRole("row", { name: /tenant\.suspend/ })).toContainText("operator");
  await expect(customer.getByRole("row", { name: /operator\.viewed/ }).first()).toContainText(/procedure admin\./);
});

test("an operator sees the running worker, its device and the models it serves", async ({ page }) => {
  await signInAsOperator(page);
  await page.getByRole("link", { name: "Workers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Workers");
  const live = page.getByRole("row").filter({ hasText: "live" }).first();
  await expect(live).toContainText("kjv-gpt-mini, paddleocr-v4");
  await expect(live).toContainText("CPU");
});

test("an operator reads the model catalogue: names, versions, file digests and the workers holding each", async ({
  page,
}) => {
  await signInAsOperator(page);
  await page.getByRole("link", { name: "Models" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Models");
  const gpt = page.getByRole("region", { name: "kjv-gpt-mini" });
  await expect(gpt).toContainText("offered");
  // The seed recorded the shipped folder's graph as the version the id answers with, its int8 graph under an alias.
  await expect(gpt).toContainText(/kjv-gpt-mini → sha-[0-9a-f]{12}/);
  await expect(gpt).toContainText(/kjv-gpt-mini:int8 → int8-[0-9a-f]{12}/);
  const int8 = gpt.getByRole("row").filter({ hasText: "kjv-gpt-mini:int8" });
  await expect(int8).toContainText(/onnx\/model_int8\.onnx · [\d.]+ MB · [0-9a-f]{12}/);
  await expect(int8).toContainText("priced on its own");
  await expect(int8).not.toContainText("no live worker");
  await expect(gpt).toContainText(/served by \S+/);
  await expect(gpt).not.toContainText("served by no live worker");
  await expect(gpt.getByRole("button", { name: "Retire kjv-gpt-mini" })).toBeVisible();
});

test("an operator promotes a version and rolls it back", async ({ page }) => {
  await signInAsOperator(page);
  await page.goto("/admin/models");
  // The embedder: no other browser test calls it while its id moves.
  const embed = page.getByRole("region", { name: "kjv-embed-mini" });
  const names = embed.locator("span", { hasText: /^kjv-embed-mini → / });
  const before = ((await names.textContent()) ?? "").replace("kjv-embed-mini → ", "");
  const int8 = ((await embed.locator("span", { hasText: /^kjv-embed-mini:int8 → / }).textContent()) ?? "").replace(
    /^.* → /,
    "",
  );
  expect(before).toMatch(/^sha-/);
  await embed.getByRole("button", { name: `Promote ${int8}` }).click();
  await expect(names).toHaveText(`kjv-embed-mini → ${int8}`);
  // The version the id answers with cannot be retired; the one before can, and is promoted back.
  await expect(embed.getByRole("button", { name: `Retire ${int8}` })).toHaveCount(0);
  await embed.getByRole("button", { name: `Promote ${before}` }).click();
  await expect(names).toHaveText(`kjv-embed-mini → ${before}`);
});

test("an operator asks for a pull and reads why it failed", async ({ page }) => {
  await signInAsOperator(page);
  await page.goto("/admin/models");
  const form = page.getByRole("form", { name: "Pull a model" });
  await form.getByLabel("Hub id (owner/name)").fill("acme/not-on-any-hub");
  await form.getByLabel("USD / 1K input tokens (new models)").fill("lots");
  await form.getByRole("button", { name: "Pull" }).click();
  await expect(page.getByText("Prices are amounts in USD, e.g. 0.0004")).toBeVisible();
  await form.getByLabel("USD / 1K input tokens (new models)").fill("0.0001");
  await form.getByRole("button", { name: "Pull" }).click();
  // A worker takes it; this machine reaches no hub, so it fails, saying why.
  const pull = page.getByRole("listitem", { name: "Pull of acme/not-on-any-hub" }).first();
  await expect(pull).toContainText("asked by");
  await expect(pull.getByRole("alert")).toContainText(/cannot reach|acme\/not-on-any-hub/, { timeout: 30_000 });
  await expect(pull).toContainText("failed");
});
