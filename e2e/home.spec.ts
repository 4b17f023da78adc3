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
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // Another site frames the sign-in page: the browser refuses to show it.
  const framer = await (await browser.newContext()).newPage();
  const refused = framer.waitForEvent("console", (message) => /frame-ancestors|X-Frame-Options/.test(message.text()));
  await framer.setContent(`<iframe src="${page.url()}"></iframe>`);
  await refused;
  await expect(framer.frameLocator("iframe").getByRole("button", { name: "Sign in" })).toHaveCount(0);
});
