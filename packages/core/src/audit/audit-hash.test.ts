import { describe, expect, it } from "vitest";
import { auditEventHash, GENESIS_HASH, type HashedAuditFields } from "./audit-hash.ts";

const event: HashedAuditFields = {
  chain: "ten_1",
  seq: 1,
  tenantId: "ten_1",
  occurredAt: new Date("2026-01-01T00:00:00Z"),
  actorType: "user",
  actorId: "usr_1",
  actorLabel: "a@example.com",
  action: "api_key.create",
  targetType: "api_key",
  targetId: "key_1",
  result: "success",
  ip: "127.0.0.1",
  userAgent: null,
  requestId: "req_1",
  metadata: { b: 1, a: [1, 2] },
};

describe("auditEventHash", () => {
  it("is deterministic and independent of key order", () => {
    const reordered = { ...event, metadata: { a: [1, 2], b: 1 } };
    expect(auditEventHash(GENESIS_HASH, event)).toBe(auditEventHash(GENESIS_HASH, reordered));
    expect(auditEventHash(GENESIS_HASH, event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with the previous hash and with every field", () => {
    const base = auditEventHash(GENESIS_HASH, event);
    expect(auditEventHash("1".repeat(64), event)).not.toBe(base);
    const changes: Partial<HashedAuditFields>[] = [
      { seq: 2 },
      { action: "api_key.revoke" },
      { actorId: "usr_2" },
      { result: "denied" },
      { occurredAt: new Date("2026-01-01T00:00:01Z") },
      { metadata: { b: 2, a: [1, 2] } },
    ];
    for (const change of changes) expect(auditEventHash(GENESIS_HASH, { ...event, ...change })).not.toBe(base);
  });
});
