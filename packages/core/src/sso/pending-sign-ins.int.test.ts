import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testDb } from "../testing/index.ts";
import { purgeExpiredSignIns, savePendingSignIn, takePendingSignIn } from "./pending-sign-ins.ts";

const db = testDb();

describe("pending sign-ins", () => {
  it("are taken once, even by ten callbacks at the same moment (a replay racing the real one)", async () => {
    const key = `oidc:${randomBytes(8).toString("hex")}`;
    await savePendingSignIn(db, key, { connectionId: "sso_x" });
    const taken = await Promise.all(Array.from({ length: 10 }, () => takePendingSignIn(db, key)));
    expect(taken.filter(Boolean)).toEqual([{ connectionId: "sso_x" }]);
  });

  it("expire: an old one is not taken, and the maintenance purge removes those left behind", async () => {
    const key = `saml:${randomBytes(8).toString("hex")}`;
    const fresh = `saml:${randomBytes(8).toString("hex")}`;
    await savePendingSignIn(db, key, {});
    await savePendingSignIn(db, fresh, {});
    // Only this one is past its ten minutes (other tests' sign-ins in flight are not).
    const past = { identifier: `sso:${key}` };
    await db.verification.updateMany({ where: past, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await takePendingSignIn(db, key)).toBeNull();
    await savePendingSignIn(db, key, {});
    await db.verification.updateMany({ where: past, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await purgeExpiredSignIns(db, new Date())).toBeGreaterThanOrEqual(1);
    expect(await db.verification.count({ where: past })).toBe(0);
    expect(await db.verification.count({ where: { identifier: `sso:${fresh}` } })).toBe(1);
  });
});
