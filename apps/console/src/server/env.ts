import { z } from "zod";
import { envFields, loadEnvOrExit } from "@aiaas/config";

export const consoleEnvSchema = z.object({
  NODE_ENV: envFields.nodeEnv,
  DATABASE_URL: envFields.databaseUrl,
  REDIS_URL: envFields.redisUrl,
  API_KEY_PEPPER: envFields.apiKeyPepper,
  /** The gateway's and workers' MASTER_KEYS: owners and admins read stored prompts with them. */
  MASTER_KEYS: envFields.masterKeys,
  /** The workers' QUEUE_PREFIX: the operator area reads their heartbeats under it. */
  QUEUE_PREFIX: envFields.queuePrefix,
  /** Signs session cookies: at least 32 characters of secret. */
  AUTH_SECRET: z
    .string({ error: "required (a secret of at least 32 characters)" })
    .min(32, "must be at least 32 characters"),
  /** Where the console's server listens (src/serve.ts). */
  CONSOLE_HOST: envFields.host,
  PORT: envFields.port(3000),
  /** Proxies whose X-Forwarded-For names the client (CIDRs; empty: the connecting peer is the client). */
  TRUSTED_PROXIES: envFields.trustedProxies,
  /** Where people reach this console, e.g. https://console.example.com (cookies and links use it). */
  CONSOLE_URL: z.url({ error: "expected a URL, e.g. http://localhost:3000" }).default("http://localhost:3000"),
  /** Where customers reach the public API; shown in the console. */
  PUBLIC_GATEWAY_URL: z.url({ error: "expected a URL, e.g. http://localhost:8080" }).default("http://localhost:8080"),
  /** Sign-ups and sign-ins allowed per client IP and minute. */
  AUTH_SIGNUPS_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  AUTH_SIGNINS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Organisations one person may own (abuse: each gets the free plan's allowance). */
  MAX_TENANTS_PER_USER: z.coerce.number().int().min(1).default(3),
  /** Invitations one organisation may send in 24 hours (each is a mail to anyone). */
  MAX_INVITATIONS_PER_DAY: z.coerce.number().int().min(1).default(20),
  /** Stripe: without a secret key billing runs ledger-only (invoices from the ledger, no Stripe calls). */
  STRIPE_SECRET_KEY: z.string().startsWith("sk_", "must be a Stripe secret key (sk_…)").optional(),
  /** Signs the webhooks Stripe sends to /api/stripe/webhook (whsec_…). */
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must be a webhook signing secret (whsec_…)").optional(),
  /** Another Stripe API base URL than api.stripe.com (tests: a local Stripe-compatible server). */
  STRIPE_API_BASE: z.url({ error: "expected a URL" }).optional(),
  /** Identity providers of tenants' single sign-on on private addresses and http (a local IdP; never in production). */
  SSO_ALLOW_PRIVATE_IDPS: envFields.ssoAllowPrivateIdps,
  /** Show the mail to signed-in operators at /dev/mail (development only). */
  DEV_MAIL: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  /** With DEV_MAIL: the folder where the local mail catcher keeps what workers delivered (else: the outbox). */
  DEV_MAILBOX_DIR: z.string().trim().min(1).optional(),
});
export type ConsoleEnv = z.infer<typeof consoleEnvSchema>;

let cached: ConsoleEnv | undefined;

/** Read once, at server start (instrumentation.ts), then from memory. */
export function consoleEnv(): ConsoleEnv {
  cached ??= loadEnvOrExit("console", consoleEnvSchema, process.env);
  return cached;
}
