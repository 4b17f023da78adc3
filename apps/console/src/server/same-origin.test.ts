import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./same-origin.ts";

const request = (headers: Record<string, string>) =>
  new Request("http://localhost:3000/api/trpc/x", { method: "POST", headers });

describe("isSameOrigin", () => {
  it.each([
    [{ "sec-fetch-site": "same-origin" }, true],
    [{ "sec-fetch-site": "cross-site", origin: "http://localhost:3000" }, false],
    [{ "sec-fetch-site": "same-site" }, false],
    [{ origin: "http://localhost:3000" }, true],
    [{ origin: "https://evil.example" }, false],
    [{}, false],
  ])("%j -> %s", (headers, expected) => {
    expect(isSameOrigin(request(headers), "http://localhost:3000")).toBe(expected);
  });
});
