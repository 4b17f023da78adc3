import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis, newId } from "@aiaas/core/platform";
import { challengeName, challengeValue, requestDomainCheck } from "@aiaas/core/sso";
import { createTestTenant, testDb, testRedisUrl } from "@aiaas/core/testing";
import { startDnsServer } from "@aiaas/core/testing/sso";
import { startDomainChecks } from "./domain-checks.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "consumer", "domain-checks-test");
const dns = await startDnsServer();
afterAll(() => {
  redis.disconnect();
  void dns.close();
});

const until = async (what: () => Promise<boolean>, ms = 10_000) => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if (await what()) return;
  }
  throw new Error("timed out");
};

describe("domain checks", () => {
  it("retries until the TXT record holds the token, verifies the domain once, and audits it; a domain another tenant verified first is refused", async () => {
    await redis.connect();
    const prefix = `dc${randomBytes(4).toString("hex")}`;
    const checks = startDomainChecks({ db, connection: redis, prefix, dnsServers: [dns.server] });
    try {
      const domain = `acme-${randomBytes(4).toString("hex")}.example`;
      const [first, second] = [await createTestTenant(db), await createTestTenant(db)];
      const claim = async (tenantId: string) =>
        db.ssoDomain.create({
          data: { id: newId("ssoDomain"), tenantId, domain, token: randomBytes(8).toString("hex") },
        });
      const mine = await claim(first.id);
      const theirs = await claim(second.id);

      await requestDomainCheck(redis, prefix, mine.id, 100);
      await until(async () => (await db.ssoDomain.findUniqueOrThrow({ where: { id: mine.id } })).lastError !== null);
      const waiting = await db.ssoDomain.findUniqueOrThrow({ where: { id: mine.id } });
      expect(waiting.verifiedAt).toBeNull();
      expect(waiting.lastError).toBe(`There is no TXT record at ${challengeName(domain)} yet.`);

      // The owner adds the record (beside another of theirs); a later try finds it.
      dns.records.set(challengeName(domain), ["v=other", challengeValue(mine.token), challengeValue(theirs.token)]);
      await until(async () => (await db.ssoDomain.findUniqueOrThrow({ where: { id: mine.id } })).verifiedAt !== null);
      const event = await db.auditEvent.findFirstOrThrow({
        where: { tenantId: first.id, action: "sso.domain_verify", targetId: mine.id },
      });
      expect(event).toMatchObject({ result: "success", actorType: "system" });

      await requestDomainCheck(redis, prefix, theirs.id, 100);
      await until(async () => (await db.ssoDomain.findUniqueOrThrow({ where: { id: theirs.id } })).lastError !== null);
      const refused = await db.ssoDomain.findUniqueOrThrow({ where: { id: theirs.id } });
      expect(refused.verifiedAt).toBeNull();
      expect(refused.lastError).toBe(`${domain} is already verified by another organisation.`);
    } finally {
      await checks.close();
    }
  });
});
