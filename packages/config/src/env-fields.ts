import { z } from "zod";

/** Reusable, validated environment variables shared by the apps. */

export const databaseUrl = z
  .string({ error: "required (a postgresql:// URL)" })
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value), "expected a postgresql:// URL");

export const redisUrl = z
  .string({ error: "required (a redis:// URL)" })
  .trim()
  .refine((value) => /^rediss?:\/\/[^\s]*$/.test(value), "expected a redis:// or rediss:// URL");

export const port = (fallback: number) =>
  z.coerce
    .number({ error: "expected a port (1-65535)" })
    .int("expected a port (1-65535)")
    .min(1, "expected a port (1-65535)")
    .max(65535, "expected a port (1-65535)")
    .default(fallback);

export const host = z.string().trim().min(1).default("127.0.0.1");

export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

export const nodeEnv = z.enum(["development", "test", "production"]).default("development");

/** Server-side pepper for API key hashes: at least 32 characters of secret. */
export const apiKeyPepper = z
  .string({ error: "required (a secret of at least 32 characters)" })
  .min(32, "must be at least 32 characters");

/** `pretty` for people at a terminal, `json` (default) for log collectors. */
export const logFormat = z.enum(["json", "pretty"]).default("json");
