import { isIP } from "node:net";
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

/** AUDIT_SIGNING_KEY: an Ed25519 seed, 32 random bytes in base64, that signs audit checkpoints; never in the database. */
export const auditSigningKey = z
  .string()
  .trim()
  .refine(
    (value) => Buffer.from(value, "base64").length === 32,
    "expected 32 random bytes in base64 (openssl rand -base64 32)",
  );

/** AUDIT_CHECKPOINT_DIR: where signed audit checkpoints are written, outside the database (a volume, a mounted bucket). */
export const auditCheckpointDir = z.string().trim().min(1).default(".data/audit-checkpoints");

/** `pretty` for people at a terminal, `json` (default) for log collectors. */
export const logFormat = z.enum(["json", "pretty"]).default("json");

/** DATA_KEY_MAX_AGE_DAYS: a tenant's data key seals for this many days; then a new one takes over (the old one still opens). */
export const dataKeyMaxAgeDays = z.coerce.number().positive().max(3650).default(30);

/** DATA_KEY_MAX_SEALS: payloads a data key seals before a new one takes over; well under AES-GCM's 2^32 for random IVs. */
export const dataKeyMaxSeals = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 30, "at most 2^30 (1073741824): AES-GCM with random IVs allows 2^32 per key, and counts lag")
  .default(2 ** 28);

/**
 * `MASTER_KEYS="mk2:<base64 of 32 bytes>,mk1:<…>"`: the first wraps new
 * tenant data keys; the rest still unwrap older ones (rotation).
 */
export const masterKeys = z
  .string({ error: "required (id:base64key, e.g. mk1:$(openssl rand -base64 32))" })
  .trim()
  .refine(
    (value) =>
      /^[A-Za-z0-9._-]{1,64}:[A-Za-z0-9+/=_-]{40,}(\s*,\s*[A-Za-z0-9._-]{1,64}:[A-Za-z0-9+/=_-]{40,})*$/.test(value),
    "expected id:base64key entries separated by commas",
  );

/** Prefix of the BullMQ queues and of our own Redis keys; tests use their own. */
export const queuePrefix = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, "letters, digits, '-' and '_' only")
  .default("aiaas");

/** proxy-addr's names for address ranges, accepted in TRUSTED_PROXIES. */
const proxyRangeNames = new Set(["loopback", "linklocal", "uniquelocal"]);

const isAddressRange = (entry: string) => {
  if (proxyRangeNames.has(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // A netmask (255.255.0.0) or a prefix length within the address's bits.
  if (isIP(prefix) === 4) return version === 4;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
};

/** A list separated by commas (blanks ignored); empty when unset. */
function commaList() {
  return z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    );
}

/**
 * `TRUSTED_PROXIES="10.0.0.0/8,loopback"`: the proxies whose X-Forwarded-For is
 * believed (addresses, CIDRs, or loopback/linklocal/uniquelocal). Empty: none,
 * the client is the peer that connected.
 */
export const trustedProxies = commaList().refine(
  (entries) => entries.every(isAddressRange),
  "expected addresses or CIDRs separated by commas (e.g. 10.0.0.0/8,loopback)",
);

/** A Hugging Face hub or a mirror of it, where models are pulled from. */
export const hfEndpoint = z
  .url({ error: "expected a URL, e.g. https://huggingface.co" })
  .default("https://huggingface.co");
export const hfToken = z.string().trim().min(1).optional();
/** The largest model a pull takes, in bytes (all its files): 50 GB unless set. */
export const modelPullMaxBytes = z.coerce.number().int().positive().default(50_000_000_000);

/** SSO_ALLOW_PRIVATE_IDPS: identity providers on private addresses and plain http (a local IdP in development). */
export const ssoAllowPrivateIdps = z
  .enum(["true", "false"])
  .default("false")
  .transform((value) => value === "true");

/** DNS_SERVERS: the servers domain checks ask (`host[:port]`, comma separated); empty: the system's. */
export const dnsServers = commaList();
