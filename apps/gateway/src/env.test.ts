import { describe, expect, it } from "vitest";
import { parseEnv } from "@aiaas/config";
import { gatewayEnvSchema } from "./env.ts";

const base = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/aiaas",
  REDIS_URL: "redis://127.0.0.1:6379",
  API_KEY_PEPPER: "p".repeat(64),
  MASTER_KEYS: `mk1:${"a".repeat(43)}=`,
};

describe("gateway environment", () => {
  it("defaults to 127.0.0.1:8080 with JSON logs, a 60 s answer timeout and the default queues", () => {
    expect(parseEnv(gatewayEnvSchema, base)).toMatchObject({
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_PORT: 8080,
      LOG_FORMAT: "json",
      GATEWAY_REQUEST_TIMEOUT_MS: 60_000,
      QUEUE_PREFIX: "aiaas",
    });
  });

  it("requires the master keys that seal prompts", () => {
    expect(() => parseEnv(gatewayEnvSchema, { ...base, MASTER_KEYS: undefined })).toThrow(/^MASTER_KEYS: required/);
  });

  it("requires the key pepper", () => {
    expect(() => parseEnv(gatewayEnvSchema, { ...base, API_KEY_PEPPER: undefined })).toThrow(
      /^API_KEY_PEPPER: required/,
    );
  });

  it("rejects a malformed port and an unknown log level", () => {
    expect(() => parseEnv(gatewayEnvSchema, { ...base, GATEWAY_PORT: "http" })).toThrow(
      /GATEWAY_PORT: expected a port/,
    );
    expect(() => parseEnv(gatewayEnvSchema, { ...base, LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});
