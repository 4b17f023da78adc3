import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./sign-up.ts";

async function send(page: Page, message: string) {
  await page.getByLabel("Message").fill(message);
  await page.getByRole("button", { name: "Send" }).click();
  const conversation = page.getByRole("log", { name: "Conversation" });
  await expect(conversation).toContainText(message);
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible({ timeout: 20_000 });
  // Next.js announces route changes in an alert of its own, outside <main>.
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  return conversation.locator('[data-role="assistant"]').last();
}

test("the playground streams an answer from kjv-gpt-mini with one session key, shown marked to the owner and ended by signing out", async ({
  page,
}) => {
  await signUp(page, "Playground Testers");
  await page.getByRole("link", { name: "Playground" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Playground");
  await page.getByLabel("Model").selectOption("kjv-gpt-mini");
  await page.getByLabel("Max tokens").fill("32");
  // Sampled at temperature 1, the model ends after one token about once in 300 answers; greedy never does here.
  await page.getByLabel("Temperature").fill("0");

  const streamed = page.waitForResponse((response) => response.url().endsWith("/v1/chat/completions"));
  const answer = await send(page, "And God said");
  await expect(answer).not.toBeEmpty();
  const final = (await answer.textContent()) ?? "";
  // Streamed: the browser got Server-Sent Events, the text in several deltas, then [DONE].
  const response = await streamed;
  expect(response.headers()["content-type"]).toMatch(/^text\/event-stream/);
  const events = (await response.text()).split("\n\n").filter(Boolean);
  expect(events.at(-1)).toBe("data: [DONE]");
  const deltas = events
    .slice(0, -1)
    .map((event) => JSON.parse(event.replace(/^data: /, "")) as { choices: { delta?: { content?: string } }[] })
    .map((chunk) => chunk.choices[0]?.delta?.content ?? "")
    .filter(Boolean);
  expect(deltas.length).toBeGreaterThan(1);
  expect(deltas.join("")).toBe(final);
  await expect(page.getByLabel("Token usage")).toHaveText(/^\d+ tokens in, \d+ out$/);
  await expect(page.getByText(/Playground key valid until/)).toBeVisible();

  // A reload reuses the session's key rather than making another.
  await page.reload();
  await page.getByLabel("Model").selectOption("kjv-gpt-mini");
  await page.getByLabel("Max tokens").fill("8");
  await expect(await send(page, "Let there be light")).not.toBeEmpty();

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("row").locator("code")).toHaveText(["api_key.create", "tenant.create"]);
  // The owner sees the session's key on the keys page, marked, with only a way to revoke it.
  await page.getByRole("link", { name: "API keys" }).click();
  const sessionKey = page.getByRole("row").filter({ hasText: "session key" });
  await expect(sessionKey).toHaveCount(1);
  await expect(sessionKey.getByRole("button", { name: /roll/i })).toHaveCount(0);

  // Signing out ends the playground key too, at the gateway at once.
  const key = (await response.request().allHeaders()).authorization ?? "";
  expect(key).toMatch(/^Bearer aiaas_live_/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  const gatewayUrl = process.env.GATEWAY_URL ?? "http://localhost:8080";
  const refused = await page.request.get(`${gatewayUrl}/v1/models`, { headers: { authorization: key } });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("revoked_api_key");
});

test("a playground key the API refuses is replaced, once, without bothering the person", async ({ page }) => {
  await signUp(page, "Playground Refusals");
  await page.getByRole("link", { name: "Playground" }).click();
  await page.getByLabel("Model").selectOption("kjv-gpt-mini");
  await page.getByLabel("Max tokens").fill("8");
  await expect(await send(page, "In the beginning")).not.toBeEmpty();

  // Spoil the stored secret (as if the key had been revoked): the gateway answers 401, a new key is made.
  await page.evaluate(() => {
    const stored = JSON.parse(sessionStorage.getItem("aiaas.playground.key") ?? "{}") as { secret?: string };
    sessionStorage.setItem(
      "aiaas.playground.key",
      JSON.stringify({ ...stored, secret: `aiaas_live_${"0".repeat(49)}` }),
    );
  });
  await expect(await send(page, "And the earth")).not.toBeEmpty();

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("row").locator("code")).toHaveText(["api_key.create", "api_key.create", "tenant.create"]);
});
