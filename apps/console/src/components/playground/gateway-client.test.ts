import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { describeGatewayError, GatewayError, withPlaygroundKey } from "./gateway-client.ts";

const gatewayUrl = "http://localhost:8080";
const apiError = (status: number, message: string) =>
  OpenAI.APIError.generate(status, { error: { message, type: "invalid_request_error" } }, undefined, new Headers());

describe("describeGatewayError", () => {
  it("shows the API's own message (OpenAI error shape) with its status", () => {
    expect(describeGatewayError(apiError(429, "Rate limit reached for this key."), gatewayUrl)).toBe(
      "The API answered 429: Rate limit reached for this key.",
    );
    expect(describeGatewayError(new GatewayError(400, "image is not a PNG, JPEG or WebP"), gatewayUrl)).toBe(
      "The API answered 400: image is not a PNG, JPEG or WebP",
    );
  });

  it("says when the API cannot be reached, and when the person stopped", () => {
    expect(describeGatewayError(new TypeError("Failed to fetch"), gatewayUrl)).toMatch(
      /^Could not reach the API at http:\/\/localhost:8080\./,
    );
    expect(describeGatewayError(new OpenAI.APIUserAbortError(), gatewayUrl)).toBe("Stopped.");
  });
});

describe("withPlaygroundKey", () => {
  it("retries once with a fresh key when the API refuses the key", async () => {
    const asked: boolean[] = [];
    const getKey = async ({ fresh = false } = {}) => (asked.push(fresh), fresh ? "new" : "old");
    const used: string[] = [];
    const result = await withPlaygroundKey(getKey, async (key) => {
      used.push(key);
      if (key === "old") throw apiError(401, "Invalid API key.");
      return "ok";
    });
    expect(result).toBe("ok");
    expect(asked).toEqual([false, true]);
    expect(used).toEqual(["old", "new"]);
  });

  it("does not retry other errors, nor a second refusal", async () => {
    let calls = 0;
    const getKey = async () => "key";
    await expect(
      withPlaygroundKey(getKey, async () => {
        calls += 1;
        throw apiError(500, "boom");
      }),
    ).rejects.toThrow("boom");
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withPlaygroundKey(getKey, async () => {
        calls += 1;
        throw new GatewayError(401, "Invalid API key.");
      }),
    ).rejects.toThrow("Invalid API key.");
    expect(calls).toBe(2);
  });
});
