import { randomBytes } from "node:crypto";

/** A value of the right form for each secret an operator supplies (infra/.env.example says how to make them). */
export const sampleSecrets: Record<string, () => string> = {
  POSTGRES_PASSWORD: () => randomBytes(32).toString("hex"),
  DATABASE_APP_PASSWORD: () => randomBytes(32).toString("hex"),
  API_KEY_PEPPER: () => randomBytes(32).toString("hex"),
  AUTH_SECRET: () => randomBytes(32).toString("hex"),
  MASTER_KEYS: () => `mk1:${randomBytes(32).toString("base64")}`,
  AUDIT_SIGNING_KEY: () => randomBytes(32).toString("base64"),
  DATABASE_URL: () => `postgresql://aiaas_app_login:${randomBytes(16).toString("hex")}@db.internal:5432/aiaas`,
  DATABASE_OWNER_URL: () => `postgresql://aiaas:${randomBytes(16).toString("hex")}@db.internal:5432/aiaas`,
  REDIS_URL: () => "redis://redis.internal:6379",
  SMTP_URL: () => "smtps://mailer:secret@smtp.example.com:465",
  STRIPE_SECRET_KEY: () => `sk_live_${randomBytes(12).toString("hex")}`,
  STRIPE_WEBHOOK_SECRET: () => `whsec_${randomBytes(12).toString("hex")}`,
};
