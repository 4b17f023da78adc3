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

/** A batch as a customer's program makes one: its JSONL uploaded to /v1/files, then /v1/batches. */
export async function createBatch(secret: string, lines: unknown[], endpoint = "/v1/chat/completions") {
  const form = new FormData();
  form.append("purpose", "batch");
  form.append("file", new Blob([lines.map((line) => JSON.stringify(line)).join("\n")]), "batch.jsonl");
  const headers = { Authorization: `Bearer ${secret}` };
  const file = (await (await fetch(`${gatewayUrl}/v1/files`, { method: "POST", headers, body: form })).json()) as {
    id: string;
  };
  const batch = await fetch(`${gatewayUrl}/v1/batches`, {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({ input_file_id: file.id, endpoint, completion_window: "24h" }),
  });
  return (await batch.json()) as { id: string; status: string };
}
