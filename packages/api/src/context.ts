import type { Redis } from "ioredis";
import type { Db, PlatformRole } from "@aiaas/db";
import type { TenantKeyring } from "@aiaas/core/crypto";
import type { StripeClient } from "@aiaas/core/stripe";

/** The signed-in user, as the console's auth resolved it from the cookie. */
export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  platformRole: PlatformRole;
  activeTenantId: string | null;
  /** Whether the person has opened the link mailed to their address: needed for a tenant, keys, an invitation. */
  emailVerified: boolean;
  /** TOTP enrolled: operators need it, and so do members of tenants that require it. */
  twoFactorEnabled: boolean;
  /** The tenant whose identity provider signed this session in (single sign-on), or null. */
  ssoTenantId?: string | null;
  /** When the person last signed in or confirmed their password in this session (see `recentlyAuthenticated`). */
  authenticatedAt: Date;
}

export interface AbuseLimits {
  /** Organisations one person may own (MAX_TENANTS_PER_USER). */
  tenantsPerUser: number;
  /** Invitations one organisation may send in 24 hours (MAX_INVITATIONS_PER_DAY). */
  invitationsPerDay: number;
}

export const defaultAbuseLimits: AbuseLimits = { tenantsPerUser: 3, invitationsPerDay: 20 };

/** What every procedure receives; the console builds it per request. */
export interface ApiContext {
  /**
   * The application role's client: no tenant's rows at all, until
   * `tenantProcedure` binds it to the active tenant (row-level security).
   */
  db: Db;
  /**
   * The platform role's client: what a person does across organisations
   * (theirs, the invitations addressed to them), always filtered by their
   * own id, and audit events outside a tenant.
   */
  platformDb: Db;
  /** The operator role's client: `operatorProcedure`'s `ctx.db`, every call audited (`auditOperatorCall`). */
  operatorDb: Db;
  /** For telling gateways about revocations. */
  redis: Redis;
  /** API_KEY_PEPPER, to hash new keys. */
  pepper: string;
  /** Tenant data keys (MASTER_KEYS), to open stored prompts for those allowed to read them. */
  keyring: TenantKeyring;
  /** SSO_ALLOW_PRIVATE_IDPS: tenants' identity providers may be on private addresses and plain http. */
  ssoAllowPrivateIdps?: boolean;
  /** Where the console is served, for links in mail. */
  consoleUrl: string;
  /** Prefix of the queues and worker heartbeats in Redis (QUEUE_PREFIX). */
  queuePrefix: string;
  /** Stripe's SDK, or null in ledger-only mode (no STRIPE_SECRET_KEY). */
  stripe: StripeClient | null;
  session: SessionUser | null;
  /** Operator settings against abuse (console env); defaults when absent. */
  abuseLimits?: Partial<AbuseLimits>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}
