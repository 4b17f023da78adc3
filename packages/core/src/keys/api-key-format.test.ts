import { describe, expect, it } from "vitest";
import { generateApiKey, parseApiKey } from "./api-key-format.ts";

describe("API key format", () => {
  it("round-trips: a generated key parses to its environment, prefix and last 4", () => {
    const key = generateApiKey("test");
    expect(key.secret).toMatch(/^aiaas_test_[0-9A-Za-z]{49}$/);
    expect(parseApiKey(key.secret)).toEqual({
      environment: "test",
      displayPrefix: key.secret.slice(0, 15),
      last4: key.secret.slice(-4),
    });
  });

  it("carries at least 256 bits of randomness: keys never repeat", () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => generateApiKey("live").secret));
    expect(secrets.size).toBe(1000);
  });

  it("rejects any single-character change through the checksum", () => {
    const { secret } = generateApiKey("live");
    for (const position of [11, 20, 40, secret.length - 7, secret.length - 1]) {
      const original = secret.charAt(position);
      const changed = secret.slice(0, position) + (original === "a" ? "b" : "a") + secret.slice(position + 1);
      expect(parseApiKey(changed), `position ${position}`).toBeNull();
    }
  });

  it.each([
    ["empty", ""],
    ["another platform's key", "sk-proj-abc123"],
    ["unknown environment", "aiaas_prod_" + "a".repeat(49)],
    ["truncated", "aiaas_live_" + "a".repeat(48)],
    ["with whitespace", ` ${generateApiKey("live").secret}`],
  ])("rejects %s without I/O", (_label, candidate) => {
    expect(parseApiKey(candidate)).toBeNull();
  });
});
