import { describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { generateApiKey } from "./api-key-format.ts";
import { ApiKeyVerifier } from "./api-key-verifier.ts";

/** A stand-in that fails the test on any use: proof that nothing reached Postgres or Redis. */
const untouchable = <T extends object>(name: string) =>
  new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`${name}.${String(property)} was used`);
    },
  });

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-.+/= ";

describe("ApiKeyVerifier without I/O", () => {
  it("rejects 100,000 random one-character corruptions of a valid key before any database or Redis call", async () => {
    const verifier = new ApiKeyVerifier({
      db: untouchable<Db>("db"),
      redis: untouchable<Redis>("redis"),
      subscriber: untouchable<Redis>("subscriber"),
      pepper: "p".repeat(32),
    });
    const { secret } = generateApiKey("live");
    let rejected = 0;
    for (let i = 0; i < 100_000; i++) {
      const position = Math.floor(Math.random() * secret.length);
      let replacement = secret.charAt(position);
      while (replacement === secret.charAt(position)) {
        replacement = alphabet.charAt(Math.floor(Math.random() * alphabet.length));
      }
      const corrupted = secret.slice(0, position) + replacement + secret.slice(position + 1);
      const result = await verifier.verify(corrupted);
      if (!result.ok && result.reason === "malformed") rejected++;
    }
    expect(rejected).toBe(100_000);
  });
});
