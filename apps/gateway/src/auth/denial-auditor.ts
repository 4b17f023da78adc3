import type { FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { withTenant, type Db } from "@aiaas/db";
import { appendAuditEvent } from "@aiaas/core/audit";
import { type KeyRecord } from "@aiaas/core/keys";

/**
 * Writes "api_key.use_denied" audit events for refused uses of a known key
 * (revoked, expired, suspended, out of scope), at most one per key, reason
 * and minute, so a client retrying in a loop cannot flood the log.
 */
export class DenialAuditor {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowSeconds = 60,
  ) {}

  async denied(request: FastifyRequest, key: KeyRecord, reason: string, details: Record<string, unknown> = {}) {
    try {
      const first = await this.redis.set(
        `${this.prefix}:audit-denied:${key.id}:${reason}`,
        "1",
        "EX",
        this.windowSeconds,
        "NX",
      );
      if (first !== "OK") return;
      await withTenant(this.db, key.tenantId, (tx) =>
        appendAuditEvent(
          {
            tenantId: key.tenantId,
            action: "api_key.use_denied",
            targetType: "api_key",
            targetId: key.id,
            result: "denied",
            metadata: { reason, endpoint: `${request.method} ${request.routeOptions.url ?? request.url}`, ...details },
          },
          {
            actor: { type: "api_key", id: key.id, label: key.name },
            ip: request.ip,
            userAgent: request.headers["user-agent"] ?? null,
            requestId: request.id,
          },
          tx,
        ),
      );
    } catch (error) {
      // The refusal stands either way; a missing audit row must not turn it into a 500.
      request.log.warn({ err: error, keyId: key.id }, "could not audit a denied key use");
    }
  }
}
