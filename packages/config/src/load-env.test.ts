import { describe, expect, it } from "vitest";
import { z } from "zod";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvError, parseEnv, withEnvFile } from "./load-env.ts";
import { apiKeyPepper, databaseUrl, port, redisUrl } from "./env-fields.ts";

const schema = z.object({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  PORT: port(8080),
  API_KEY_PEPPER: apiKeyPepper,
});
const valid = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/aiaas",
  REDIS_URL: "redis://127.0.0.1:6379",
  API_KEY_PEPPER: "x".repeat(32),
};

describe("parseEnv", () => {
  it("returns typed values with defaults applied", () => {
    expect(parseEnv(schema, { ...valid, PORT: "3001" })).toEqual({ ...valid, PORT: 3001 });
    expect(parseEnv(schema, valid).PORT).toBe(8080);
  });

  it("takes an empty variable for an unset one: its default, or required", () => {
    expect(parseEnv(schema, { ...valid, PORT: "" }).PORT).toBe(8080);
    expect(() => parseEnv(schema, { ...valid, API_KEY_PEPPER: "" })).toThrow("API_KEY_PEPPER: required");
  });

  it("names every problem on one line", () => {
    const attempt = () => parseEnv(schema, { REDIS_URL: "http://nope", PORT: "99999", API_KEY_PEPPER: "short" });
    expect(attempt).toThrow(EnvError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).not.toContain("\n");
      expect(message).toContain("DATABASE_URL: required");
      expect(message).toContain("REDIS_URL: expected a redis:// or rediss:// URL");
      expect(message).toContain("PORT: expected a port (1-65535)");
      expect(message).toContain("API_KEY_PEPPER: must be at least 32 characters");
    }
  });

  it.each(["mysql://localhost/db", "postgresql://", "not a url"])("rejects DATABASE_URL=%j", (value) => {
    expect(() => parseEnv(schema, { ...valid, DATABASE_URL: value })).toThrow(
      /DATABASE_URL: expected a postgresql:\/\/ URL/,
    );
  });
});

describe("withEnvFile", () => {
  it("fills in from the file; the real environment wins", () => {
    const file = join(mkdtempSync(join(tmpdir(), "env-")), "local.env");
    writeFileSync(file, 'DATABASE_URL="postgresql://from-file/db"\nREDIS_URL="redis://from-file"\n');
    expect(withEnvFile({ REDIS_URL: "redis://real" }, file)).toEqual({
      DATABASE_URL: "postgresql://from-file/db",
      REDIS_URL: "redis://real",
    });
  });

  it("ignores a missing file", () => {
    expect(withEnvFile({ A: "1" }, "/nonexistent/local.env")).toEqual({ A: "1" });
  });
});
