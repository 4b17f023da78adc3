import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createBatch, createKeyInConsole } from "./api-key.ts";
import { signUp } from "./sign-up.ts";

test("a batch sent with the API shows on the Batches page with its progress, and its output downloads", async ({
  page,
}) => {
  await signUp(page, "Batch Owners");
  await page.goto("/batches");
  await expect(page.getByText("No batches yet.")).toBeVisible();

  const secret = await createKeyInConsole(page, "batch-e2e");
  const lines = Array.from({ length: 12 }, (_, i) => ({
    custom_id: `verse-${i}`,
    method: "POST",
    url: "/v1/chat/completions",
    body:
      i === 11
        ? { model: "kjv-gpt-mini", messages: [{ role: "user", content: "x" }], n: 99 }
        : { model: "kjv-gpt-mini", messages: [{ role: "user", content: `Verse ${i}` }], max_tokens: 4 },
  }));
  const batch = await createBatch(secret, lines);
  expect(batch.status).toBe("validating");

  await page.goto("/batches");
  const row = page.getByRole("row", { name: new RegExp(batch.id) });
  // The page refreshes itself while a batch runs.
  await expect(row.getByText("completed")).toBeVisible({ timeout: 60_000 });
  await expect(row.getByRole("progressbar", { name: `Progress of ${batch.id}` })).toHaveAttribute("value", "12");
  await expect(row).toContainText("12 of 12 lines · 1 failed");

  const download = page.waitForEvent("download");
  await row.getByRole("button", { name: "Download the output file" }).click();
  const output = (await readFile((await (await download).path()) ?? "", "utf8")).trim().split("\n");
  expect(output.map((line) => (JSON.parse(line) as { custom_id: string }).custom_id).sort()).toEqual(
    lines
      .slice(0, 11)
      .map((line) => line.custom_id)
      .sort(),
  );

  const errors = page.waitForEvent("download");
  await row.getByRole("button", { name: "Download the errors file" }).click();
  const [failed] = (await readFile((await (await errors).path()) ?? "", "utf8")).trim().split("\n");
  expect(JSON.parse(failed ?? "{}")).toMatchObject({ custom_id: "verse-11", response: { status_code: 400 } });

  // Reading a batch's answers is in the audit log.
  await page.goto("/audit");
  await expect(page.getByText("file.read").first()).toBeVisible();
});
