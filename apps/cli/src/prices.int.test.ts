import { describe, expect, it } from "vitest";
import { testDb } from "@aiaas/core/testing";
import { aiaas } from "@aiaas/core/testing";

const db = testDb();

describe("aiaas prices", () => {
  it("announces a model's price ahead, lists it beside the one in force, and audits it", async () => {
    // Far ahead and unique per run, so no request of another test is priced at it.
    const from = new Date(Date.UTC(2101, 0, 1) + Math.floor(Math.random() * 1e9) * 1000);
    const set = await aiaas([
      "prices",
      "set",
      "--model",
      "kjv-embed-mini",
      "--input-per-1k",
      "0.0004",
      "--batch-percent",
      "40",
      "--from",
      from.toISOString(),
    ]);
    expect(set.stderr).toBe("");
    expect(set.stdout).toContain(`kjv-embed-mini: new price from ${from.toISOString()}`);
    const price = await db.modelPrice.findFirstOrThrow({ where: { effectiveFrom: from } });
    expect(price).toMatchObject({ inputMicrosPer1k: 400n, outputMicrosPer1k: 0n, imageMicros: 0n, batchPercent: 40 });
    expect(await db.auditEvent.count({ where: { action: "model.price.set", targetId: price.id } })).toBe(1);

    const list = await aiaas(["--json", "prices", "list"]);
    const rows = JSON.parse(list.stdout) as { model: string; state: string; input: string; from: string }[];
    expect(rows).toContainEqual(
      expect.objectContaining({
        model: "kjv-embed-mini",
        state: "announced",
        input: "$0.40 / 1M",
        from: from.toISOString(),
      }),
    );
    expect(rows.filter((row) => row.model === "kjv-embed-mini" && row.state === "in force")).toHaveLength(1);
  });

  it("refuses to rewrite the past and says what a bad amount or date is", async () => {
    const past = await aiaas(["prices", "set", "--model", "kjv-embed-mini", "--from", "2020-01-01T00:00:00Z"]);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/A price takes effect now or later: past charges keep the price they were made at\./);
    const amount = await aiaas(["prices", "set", "--model", "kjv-embed-mini", "--image", "-1"]);
    expect(amount.code).toBe(2);
    expect(amount.stderr).toMatch(/--image: "-1" is not an amount in USD/);
    const date = await aiaas(["prices", "set", "--model", "kjv-embed-mini", "--from", "next tuesday"]);
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--from: "next tuesday" is not a date and time/);
    const percent = await aiaas(["prices", "set", "--model", "kjv-embed-mini", "--batch-percent", "150"]);
    expect(percent.code).toBe(2);
    expect(percent.stderr).toMatch(/--batch-percent: "150" is not a whole number from 0 to 100/);
    const model = await aiaas(["prices", "set", "--model", "no-such-model"]);
    expect(model.code).toBe(1);
    expect(model.stderr).toMatch(/model "no-such-model"/);
  });
});
