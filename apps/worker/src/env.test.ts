import { describe, expect, it } from "vitest";
import { parseEnv } from "@aiaas/config";
import { workerEnvSchema } from "./env.ts";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/aiaas", REDIS_URL: "redis://127.0.0.1:6379" };

describe("worker environment", () => {
  it("defaults its health port to 8081 and beats every 10 s", () => {
    expect(parseEnv(workerEnvSchema, base)).toMatchObject({ WORKER_PORT: 8081, HEARTBEAT_INTERVAL_MS: 10_000 });
  });

  it("requires Redis", () => {
    expect(() => parseEnv(workerEnvSchema, { ...base, REDIS_URL: undefined })).toThrow(/^REDIS_URL: required/);
  });

  it("refuses a heartbeat faster than once a second", () => {
    expect(() => parseEnv(workerEnvSchema, { ...base, HEARTBEAT_INTERVAL_MS: "10" })).toThrow(/HEARTBEAT_INTERVAL_MS/);
  });
});
