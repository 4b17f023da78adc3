import type { Page } from "@playwright/test";

const gatewayUrl = (process.env.GATEWAY_URL ?? "http://localhost:8080").replace(/\/$/, "");

/** Creates an API key on the keys page, as a customer does; returns its secret (shown once). */
export async function createKeyInConsole(page: Page, name: string) {
  await page.goto("/keys");
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create key" }).click();
  const secret = await dialog.getByLabel("Secret key", { exact: true }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return secret;
}

/** One chat completion through the gateway with a key. */
export const chatCompletion = (secret: string, content: string, maxTokens: number) =>
  fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "kjv-gpt-mini", messages: [{ role: "user", content }], max_tokens: maxTokens }),
  });
