import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signedInMinutesAgo } from "./database.ts";
import { PASSWORD, signUp } from "./sign-up.ts";

test("sign up, create a key shown once, revoke it, and find both in the audit log", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const email = await signUp(page, "Analytical Engines");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Analytical Engines");

  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText("No keys yet.")).toBeVisible();
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("backend");
  await dialog.getByLabel("chat:write").check();
  await dialog.getByLabel("paddleocr-v4").check();
  await dialog.getByText("Limits (optional)").click();
  await dialog.getByLabel("Requests / minute").fill("60");
  await dialog.getByRole("button", { name: "Create key" }).click();

  const secretField = dialog.getByLabel("Secret key", { exact: true });
  await expect(secretField).toHaveValue(/^aiaas_live_[0-9A-Za-z]{49}$/);
  const secret = await secretField.inputValue();
  await dialog.getByRole("button", { name: "Copy secret key" }).click();
  await expect(dialog.getByRole("button", { name: "Copy secret key" })).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("row", { name: /backend/ });
  await expect(row).toContainText(`${secret.slice(0, 15)}…${secret.slice(-4)}`);
  await expect(row).toContainText("active");
  await expect(row).toContainText("chat:write");
  await expect(row).toContainText("paddleocr-v4");
  await expect(row).toContainText(email);

  // The secret never appears again, not even after a reload.
  await page.reload();
  await expect(page.getByRole("row", { name: /backend/ })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  await page.getByRole("button", { name: "Revoke backend" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("row", { name: /backend/ })).toContainText("revoked");

  await page.getByRole("link", { name: "Audit log" }).click();
  const actions = page.getByRole("row").locator("code");
  await expect(actions).toHaveText(["api_key.revoke", "api_key.create", "tenant.create"]);
  await expect(page.getByRole("row", { name: /api_key\.create/ })).toContainText(email);

  const csv = await page.request.get("/api/audit/export?format=csv");
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe(
    "seq,occurredAt,actorType,actorId,actorLabel,action,targetType,targetId,result,ip,userAgent,requestId,metadata,hash",
  );
  expect(lines.slice(1).map((line) => line.split(",")[5])).toEqual([
    "api_key.revoke",
    "api_key.create",
    "tenant.create",
  ]);
  const json = (await (await page.request.get("/api/audit/export?format=json&action=api_key")).json()) as {
    action: string;
  }[];
  expect(json.map((event) => event.action)).toEqual(["api_key.revoke", "api_key.create"]);
});

test("a wrong password gets a clear message, and signing out ends the session", async ({ page }) => {
  const email = await signUp(page, "Difference Engines");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("That email and password do not match an account.");

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("guesses at one account from one address slow down, whatever X-Forwarded-For a client makes up", async ({
  request,
  baseURL,
}) => {
  const email = `guessed-${Date.now()}@example.com`;
  const guess = (fakeAddress: string) =>
    request.post("/api/auth/sign-in/email", {
      // No proxy is trusted here: neither header is the client's address.
      headers: { origin: baseURL ?? "", "x-forwarded-for": fakeAddress, "x-aiaas-client-ip": fakeAddress },
      data: { email, password: "a wrong password" },
    });
  const statuses = [];
  for (let i = 1; i <= 4; i++) statuses.push((await guess(`203.0.113.${i}`)).status());
  expect(statuses).toEqual([401, 401, 401, 429]);
});

test("the control plane refuses cross-site mutations", async ({ request }) => {
  const response = await request.post("/api/trpc/tenant.create", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: { json: { name: "x" } },
  });
  expect(response.status()).toBe(403);
});

test("the seeded demo owner signs in to the demo organisation", async ({ page }) => {
  const demo = JSON.parse(readFileSync(process.env.DEMO_FILE ?? ".data/demo.json", "utf8")) as {
    owner: { email: string; password: string };
  };
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(demo.owner.email);
  await page.getByLabel("Password").fill(demo.owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Demo");
});

test("an API key needs a recent sign-in: after 15 minutes the console asks for the password, then creates it", async ({
  page,
}) => {
  const email = await signUp(page, "Shared Laptop Ltd");
  await signedInMinutesAgo(email, 16);
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("late night");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog).toContainText("Confirm your password to continue: you signed in more than 15 minutes ago.");
  await dialog.getByLabel("Your password").fill("not my password at all");
  await dialog.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("That is not your password.");
  await dialog.getByLabel("Your password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(dialog.getByLabel("Secret key", { exact: true })).toHaveValue(/^aiaas_live_/);
});
