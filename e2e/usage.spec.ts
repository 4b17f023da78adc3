import { expect, test } from "@playwright/test";
import { chatCompletion, createKeyInConsole } from "./api-key.ts";
import { signUp } from "./sign-up.ts";

interface ChatCompletion {
  id: string;
  usage: { prompt_tokens: number; completion_tokens: number };
}

test("a call with a key made in the console shows in the usage chart and in recent requests", async ({ page }) => {
  await signUp(page, "Usage Counters");
  await expect(page.getByRole("figure", { name: /: 0 requests,/ })).toBeVisible();
  await expect(page.getByText("No requests yet.")).toBeVisible();

  const secret = await createKeyInConsole(page, "usage-e2e");
  const response = await chatCompletion(secret, "In the beginning", 8);
  expect(response.status, await response.clone().text()).toBe(200);
  const completion = (await response.json()) as ChatCompletion;
  const { prompt_tokens: tokensIn, completion_tokens: tokensOut } = completion.usage;

  await page.goto("/dashboard");
  // The gateway writes requests and usage in batches: reload until both are there.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("figure", { name: /: 1 request,/ })).toBeVisible({ timeout: 2_000 });
    await expect(page.getByRole("row", { name: /kjv-gpt-mini/ })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  await expect(page.getByRole("figure")).toHaveAccessibleName(
    `Requests and tokens per day: 1 request, ${tokensIn + tokensOut} tokens (${tokensIn} in, ${tokensOut} out), 0 errors.`,
  );
  const row = page.getByRole("row", { name: /kjv-gpt-mini/ });
  await expect(row).toContainText("/v1/chat/completions");
  await expect(row).toContainText("usage-e2e");
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText(`${tokensIn} / ${tokensOut}`);
  await expect(row).toContainText(/\d+ ms \/ \d+ ms \/ \d+ ms/);

  // The usage page breaks it down by key and model, and its CSV says the same.
  await page.goto("/usage");
  await expect(page.getByRole("table", { name: "By day, key and model" })).toContainText("usage-e2e");
  await expect(page.getByRole("table", { name: "By model" })).toContainText("kjv-gpt-mini");
  await expect(page.getByLabel("Usage totals")).toContainText(`1 request · ${tokensIn + tokensOut} tokens`);
  const csv = await (await page.request.get("/api/usage/export?days=30")).text();
  const [header, line, totals] = csv.trim().split("\n");
  expect(header).toBe("day,keyId,keyName,model,requests,errors,inputTokens,outputTokens,images,costMicros");
  expect(line).toContain(`,usage-e2e,kjv-gpt-mini,1,0,${tokensIn},${tokensOut},0,`);
  expect(totals).toMatch(new RegExp(`^total,,,,1,0,${tokensIn},${tokensOut},0,\\d+$`));
  await page.goto("/dashboard");

  // New organisations keep no prompts: the detail says so plainly.
  await row.getByRole("button", { name: /^Details of req_/ }).click();
  const detail = page.getByRole("dialog", { name: "Request" });
  await expect(detail).toContainText("kjv-gpt-mini");
  await expect(detail).toContainText("Not stored (retention: none).");
  await expect(detail.getByRole("button", { name: "Decrypt prompt and response" })).toHaveCount(0);
});
