import { describe, expect, it } from "vitest";
import { crossSiteRefusal, isSameOrigin } from "./same-origin.ts";

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

describe("crossSiteRefusal", () => {
  it("answers another site's request with a 403 that says why, and lets our own through", async () => {
    const refusal = crossSiteRefusal(request({ "sec-fetch-site": "cross-site" }), "http://localhost:3000");
    expect(refusal?.status).toBe(403);
    expect(await refusal?.json()).toEqual({ error: { message: "Cross-site request refused." } });
    expect(crossSiteRefusal(request({ "sec-fetch-site": "same-origin" }), "http://localhost:3000")).toBeUndefined();
  });
});
