import type { Redis } from "ioredis";
import type { Db, PlatformRole } from "@aiaas/db";

/** The signed-in user, as the console's auth resolved it from the cookie. */
export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  platformRole: PlatformRole;
  activeTenantId: string | null;
}

/** What every procedure receives; the console builds it per request. */
export interface ApiContext {
  db: Db;
  /** For telling gateways about revocations. */
  redis: Redis;
  /** API_KEY_PEPPER, to hash new keys. */
  pepper: string;
  /** Where the console is served, for links in mail. */
  consoleUrl: string;
  /** Prefix of the queues and worker heartbeats in Redis (QUEUE_PREFIX). */
  queuePrefix: string;
  session: SessionUser | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}
