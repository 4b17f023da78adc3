import { createHash } from "node:crypto";
import { APIError } from "better-auth/api";
import type { Redis } from "ioredis";
import { consumeRateCounters, type RateCounter } from "../redis/rate-counters.ts";
import { unavailableWithoutRedis } from "./redis-rate-limit-storage.ts";

export interface AuthThrottleLimits {
  /** Per client IP and minute. */
  signInsPerMinute: number;
  signUpsPerMinute: number;
}

/** Whose attempts a rule counts: a client address, an email address, or one address trying one account. */
type Scope = "ip" | "account" | "account-ip";

interface Rule {
  scope: Scope;
  window: number;
  max: number;
}

/**
 * Wrong passwords for one account from one address slow down (3 a minute),
 * then stop (10 in 15 minutes) until a right one clears them. The pair, never
 * the account: the owner still signs in from elsewhere while someone hammers it.
 */
export const SIGN_IN_PAIR_RULES: readonly [Rule, Rule] = [
  { scope: "account-ip", window: 60, max: 3 },
  { scope: "account-ip", window: 15 * 60, max: 10 },
];

/** The endpoints that are throttled, and their rules. */
function authThrottleRules(limits: AuthThrottleLimits): Record<string, Rule[]> {
  return {
    "/sign-in/email": [{ scope: "ip", window: 60, max: limits.signInsPerMinute }, ...SIGN_IN_PAIR_RULES],
    "/sign-up/email": [
      { scope: "ip", window: 60, max: limits.signUpsPerMinute },
      { scope: "account", window: 60 * 60, max: 3 },
    ],
    "/request-password-reset": [
      { scope: "ip", window: 10 * 60, max: 10 },
      { scope: "account", window: 60 * 60, max: 3 },
    ],
    // A code after the password (or to confirm enrolment): per address; the plugin also limits tries per sign-in.
    "/two-factor/verify-totp": [{ scope: "ip", window: 60, max: limits.signInsPerMinute }],
    "/two-factor/verify-backup-code": [{ scope: "ip", window: 60, max: limits.signInsPerMinute }],
    "/send-verification-email": [
      { scope: "ip", window: 10 * 60, max: 10 },
      { scope: "account", window: 60 * 60, max: 3 },
    ],
  };
}

const digest = (value: string) => createHash("sha256").update(value).digest("base64url").slice(0, 22);

/** Counter keys hold digests, not addresses: Redis is not where we keep who tried what. */
function counterOf(path: string, rule: Rule, ip: string, email: string | null): RateCounter | null {
  const account = email?.trim().toLowerCase() ?? null;
  const subject = rule.scope === "ip" ? ip : account && (rule.scope === "account" ? account : `${account}\n${ip}`);
  if (subject === null) return null;
  return { key: `aiaas:auth-throttle:${path}:${rule.scope}:${rule.window}:${digest(subject)}`, ...rule };
}

/** The counters of one address's guesses at one account: the minute's, then the quarter hour's. */
export const signInPairKeys = (ip: string | null, email: string) =>
  SIGN_IN_PAIR_RULES.flatMap((rule) => counterOf("/sign-in/email", rule, ip ?? "unknown", email)?.key ?? []);

const inWords = (seconds: number) =>
  seconds < 60
    ? `${seconds} second${seconds === 1 ? "" : "s"}`
    : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? "" : "s"}`;

const refusals: Record<Scope, (wait: string, path: string) => string> = {
  ip: (wait) => `Too many attempts from your network. Try again in ${wait}.`,
  account: (wait) => `Too many requests for this email address. Try again in ${wait}.`,
  "account-ip": (wait, path) =>
    path === "/sign-in/email"
      ? `Too many failed sign-ins for this account. Try again in ${wait}, or reset your password.`
      : `Too many attempts for this email address. Try again in ${wait}.`,
};

/**
 * Sign-in, sign-up, password reset and verification mail, limited per client
 * IP and per account in one Redis script before better-auth runs: a burst of
 * parallel guesses gets exactly the allowance, the rest a 429.
 */
export class AuthThrottle {
  private readonly rules: Record<string, Rule[]>;

  constructor(
    private readonly redis: Redis,
    limits: AuthThrottleLimits,
  ) {
    this.rules = authThrottleRules(limits);
  }

  /** The endpoints this throttles (better-auth's own limiter leaves them alone). */
  get paths(): string[] {
    return Object.keys(this.rules);
  }

  /** Counts the attempt, or throws a 429 that says how long to wait. */
  async admit(path: string, ip: string | null, email: string | null): Promise<void> {
    const rules = this.rules[path];
    if (!rules) return;
    const counted = rules.flatMap((rule) => {
      const counter = counterOf(path, rule, ip ?? "unknown", email);
      return counter ? [{ rule, counter }] : [];
    });
    const decision = await unavailableWithoutRedis(() =>
      consumeRateCounters(
        this.redis,
        counted.map(({ counter }) => counter),
      ),
    );
    if (decision.allowed) return;
    const scope = counted.find(({ counter }) => counter === decision.counter)?.rule.scope ?? "ip";
    throw new APIError("TOO_MANY_REQUESTS", { message: refusals[scope](inWords(decision.retryAfter), path) });
  }

  /** The right password: that address's failed guesses at that account are forgotten. */
  async signedIn(ip: string | null, email: string): Promise<void> {
    await this.redis.del(...signInPairKeys(ip, email));
  }
}
