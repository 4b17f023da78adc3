import { describe, expect, it } from "vitest";
import { checkReadiness } from "./readiness.ts";

describe("checkReadiness", () => {
  it("is ready when every check answers", async () => {
    const report = await checkReadiness([
      { name: "postgres", check: async () => 1 },
      { name: "redis", check: async () => "PONG" },
    ]);
    expect(report).toEqual({ ready: true, checks: { postgres: "ok", redis: "ok" } });
  });

  it("names the failing dependency and its reason", async () => {
    const report = await checkReadiness([
      { name: "postgres", check: async () => 1 },
      { name: "redis", check: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1")) },
    ]);
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({ postgres: "ok", redis: "unavailable: connect ECONNREFUSED 127.0.0.1:1" });
  });

  it("treats a check that hangs as unavailable after the timeout", async () => {
    const report = await checkReadiness([{ name: "slow", check: () => new Promise(() => {}) }], 50);
    expect(report.checks.slow).toBe("unavailable: no answer within 50 ms");
  });
});
