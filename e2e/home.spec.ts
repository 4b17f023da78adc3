import { expect, test } from "@playwright/test";
import { signInAsOperator } from "./operator.ts";
import { signUp } from "./sign-up.ts";

test("the console home page introduces the API and where to call it", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("aiaas console");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Open models behind an OpenAI-compatible API");
  const gatewayUrl = process.env.GATEWAY_URL ?? "http://localhost:8080";
  await expect(page.getByText(`${gatewayUrl}/v1`, { exact: true })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "/v1/chat/completions" })).toBeVisible();
  const icon = await page.locator('link[rel="icon"]').getAttribute("href");
  const iconResponse = await page.request.get(icon ?? "/favicon.ico");
  expect(iconResponse.status()).toBe(200);
  expect(iconResponse.headers()["content-type"]).toContain("image/svg+xml");
});

test("the console reports itself healthy", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", checks: { postgres: "ok" } });
});

test("the control plane answers at /api/trpc", async ({ request }) => {
  const response = await request.get("/api/trpc/system.health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ result: { data: { json: { ready: true, checks: { postgres: "ok" } } } } });
});

test("an address the console does not have says so and leads back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · aiaas");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page does not exist");
  await page.getByRole("link", { name: "Back to the console" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Open models behind an OpenAI-compatible API");
});

test("the development mailbox, with every reset and invitation link, is for signed-in operators only", async ({
  page,
  browser,
}) => {
  expect((await page.goto("/dev/mail"))?.status()).toBe(404);
  await signUp(page, "Curious Inc");
  expect((await page.goto("/dev/mail"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Mail outbox" })).toHaveCount(0);
  const operator = await (await browser.newContext()).newPage();
  await signInAsOperator(operator);
  expect((await operator.goto("/dev/mail"))?.status()).toBe(200);
  await expect(operator.getByRole("heading", { name: "Mail outbox" })).toBeVisible();
});

test("a new account confirms its address before it may create an organisation, and can have the link sent again", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Grace Hopper");
  await page.getByLabel("Work email").fill(`unconfirmed-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding$/);
  await expect(page.getByLabel("Organisation name")).toHaveCount(0);
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByText(/A new link is on its way to unconfirmed-/)).toBeVisible();
});

test("the console cannot be framed by another site, and tells browsers not to guess or leak", async ({
  page,
  browser,
}) => {
  const response = await page.goto("/sign-in");
  const headers = response?.headers() ?? {};
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  // Served over http here: no HSTS (it is sent when CONSOLE_URL is https).
  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // Another site frames the sign-in page: the browser refuses to show it.
  const framer = await (await browser.newContext()).newPage();
  const refused = framer.waitForEvent("console", (message) => /frame-ancestors|X-Frame-Options/.test(message.text()));
  await framer.setContent(`<iframe src="${page.url()}"></iframe>`);
  await refused;
  await expect(framer.frameLocator("iframe").getByRole("button", { name: "Sign in" })).toHaveCount(0);
});

test("every page runs under a Content-Security-Policy with a fresh nonce, and nothing on them breaks it", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/content security policy|securitypolicyviolation/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  const first = (await page.goto("/sign-in"))?.headers()["content-security-policy"] ?? "";
  expect(first).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
  const second = (await page.request.get("/sign-in")).headers()["content-security-policy"];
  expect(second).not.toBe(first);

  // Signing up is typing into forms React runs: hydration under the policy works.
  await signUp(page, "Policy Keepers");
  for (const path of [
    "/dashboard",
    "/keys",
    "/usage",
    "/limits",
    "/members",
    "/audit",
    "/settings",
    "/account",
    "/playground",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }
  // A client-side navigation and a chart-drawing page, after the rest have loaded.
  await page.getByRole("link", { name: "Usage" }).first().click();
  await expect(page).toHaveURL(/\/usage$/);
  expect(violations).toEqual([]);
});
