import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { IdempotencyStore } from "./idempotency.ts";

const store = (secret: string) => new IdempotencyStore({} as Redis, "aiaas", secret);

describe("idempotency body hashes", () => {
  it("are HMACs under a key per tenant: a guessed prompt cannot be confirmed from what Redis or Postgres keep", () => {
    const body = { model: "kjv-gpt-mini", messages: [{ role: "user", content: "my salary is 91,000" }] };
    const hash = store("server secret").bodyHash("ten_a", body);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(store("server secret").bodyHash("ten_a", { ...body })).toBe(hash);
    // Not the plain digest anyone could compute from a guess…
    expect(hash).not.toBe(createHash("sha256").update(JSON.stringify(body)).digest("hex"));
    // …and neither another tenant's nor another installation's.
    expect(store("server secret").bodyHash("ten_b", body)).not.toBe(hash);
    expect(store("another secret").bodyHash("ten_a", body)).not.toBe(hash);
    expect(store("server secret").bodyHash("ten_a", { ...body, model: "other" })).not.toBe(hash);
  });
});
