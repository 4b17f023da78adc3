import { describe, expect, it } from "vitest";
import { parseEnv } from "@aiaas/config";
import { workerEnvSchema } from "./env.ts";

const base = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/aiaas",
  REDIS_URL: "redis://127.0.0.1:6379",
  MASTER_KEYS: `mk1:${Buffer.alloc(32, 7).toString("base64")}`,
};

describe("worker environment", () => {
  it("defaults its health port to 8081, beats every 10 s and serves every model", () => {
    expect(parseEnv(workerEnvSchema, base)).toMatchObject({
      WORKER_PORT: 8081,
      HEARTBEAT_INTERVAL_MS: 10_000,
      WORKER_MODELS: "all",
      INFERENCE_DEVICE: "auto",
      WORKER_CONCURRENCY: 32,
      QUEUE_PREFIX: "aiaas",
      MODEL_BATCHING: {},
      PURGE_EVERY_MS: 3_600_000,
    });
  });

  it("requires Redis and the master keys", () => {
    expect(() => parseEnv(workerEnvSchema, { ...base, REDIS_URL: undefined })).toThrow(/^REDIS_URL: required/);
    expect(() => parseEnv(workerEnvSchema, { ...base, MASTER_KEYS: undefined })).toThrow(/MASTER_KEYS: required/);
    expect(() => parseEnv(workerEnvSchema, { ...base, MASTER_KEYS: "short" })).toThrow(
      /MASTER_KEYS: expected id:base64key/,
    );
  });

  it("refuses a heartbeat or a retention purge more often than once a second", () => {
    expect(() => parseEnv(workerEnvSchema, { ...base, HEARTBEAT_INTERVAL_MS: "10" })).toThrow(/HEARTBEAT_INTERVAL_MS/);
    expect(() => parseEnv(workerEnvSchema, { ...base, PURGE_EVERY_MS: "10" })).toThrow(/PURGE_EVERY_MS/);
    expect(parseEnv(workerEnvSchema, { ...base, PURGE_EVERY_MS: "600000" }).PURGE_EVERY_MS).toBe(600_000);
  });

  it("sends mail only with an smtp:// or smtps:// URL, from a configurable address", () => {
    const without = parseEnv(workerEnvSchema, base);
    expect(without.SMTP_URL).toBeUndefined();
    expect(without.OUTBOX_SEND_EVERY_MS).toBe(2_000);
    const env = parseEnv(workerEnvSchema, {
      ...base,
      SMTP_URL: "smtps://user:secret@mail.example.com:465",
      MAIL_FROM: "Acme <no-reply@acme.example>",
    });
    expect(env).toMatchObject({
      SMTP_URL: "smtps://user:secret@mail.example.com:465",
      MAIL_FROM: "Acme <no-reply@acme.example>",
    });
    expect(() => parseEnv(workerEnvSchema, { ...base, SMTP_URL: "http://mail.example.com" })).toThrow(
      /SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL/,
    );
  });

  it("reads the models to serve and per-model batching", () => {
    const env = parseEnv(workerEnvSchema, {
      ...base,
      WORKER_MODELS: "kjv-embed-mini, paddleocr-v4",
      MODEL_BATCHING: "kjv-embed-mini=64/2,paddleocr-v4=8/0.5",
      INFERENCE_DEVICE: "cpu",
    });
    expect(env.WORKER_MODELS).toEqual(["kjv-embed-mini", "paddleocr-v4"]);
    expect(env.MODEL_BATCHING).toEqual({
      "kjv-embed-mini": { maxBatchSize: 64, maxWaitMs: 2 },
      "paddleocr-v4": { maxBatchSize: 8, maxWaitMs: 0.5 },
    });
    expect(() => parseEnv(workerEnvSchema, { ...base, MODEL_BATCHING: "kjv=big" })).toThrow(
      /MODEL_BATCHING: expected id=maxBatchSize\/maxWaitMs, got "kjv=big"/,
    );
    expect(() => parseEnv(workerEnvSchema, { ...base, INFERENCE_DEVICE: "tpu" })).toThrow(/INFERENCE_DEVICE/);
    expect(() => parseEnv(workerEnvSchema, { ...base, INFERENCE_DEVICE: "cuda:x" })).toThrow(/cuda:N/);
    expect(parseEnv(workerEnvSchema, { ...base, INFERENCE_DEVICE: "cuda:1" }).INFERENCE_DEVICE).toBe("cuda:1");
  });
});
