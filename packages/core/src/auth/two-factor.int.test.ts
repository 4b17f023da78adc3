import { type TOTP, URI } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { createRedis } from "../redis/create-redis.ts";
import { testDb, testRedisUrl } from "../testing/index.ts";
import { createAuth } from "./create-auth.ts";
import { authRequests, cookiesOf, newEmail, randomIp } from "./testing/auth-requests.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "two-factor-test");
const baseUrl = "http://localhost:3998";
const auth = createAuth({ databaseUrl: testDatabaseUrl(), db, redis, baseUrl, secret: "t".repeat(40) });
const post = authRequests(auth, baseUrl);
beforeAll(() => redis.connect());
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

const PASSWORD = "a long enough password";
const body = async (response: Response) => (await response.json()) as Record<string, unknown>;

/** A signed-up person who enrolled an authenticator app: their TOTP and recovery codes. */
async function enrolled() {
  const email = newEmail();
  const ip = randomIp();
  const cookie = cookiesOf(await post("/sign-up/email", { email, password: PASSWORD, name: "Mo" }, ip));
  const enable = await body(await post("/two-factor/enable", { password: PASSWORD }, ip, cookie));
  const totp = URI.parse(enable.totpURI as string) as TOTP;
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  // Not on until a code from the app confirms it.
  expect(user.twoFactorEnabled).toBe(false);
  expect((await post("/two-factor/verify-totp", { code: "000000" }, ip, cookie)).status).toBe(401);
  const confirmed = await post("/two-factor/verify-totp", { code: totp.generate() }, ip, cookie);
  expect(confirmed.status).toBe(200);
  expect((await db.user.findUniqueOrThrow({ where: { email } })).twoFactorEnabled).toBe(true);
  return { email, user, totp, recoveryCodes: enable.backupCodes as string[], cookie: cookiesOf(confirmed) };
}

/** The password step: no session yet, only the cookie that lets the second step finish the sign-in. */
async function passwordStep(email: string, ip: string) {
  const response = await post("/sign-in/email", { email, password: PASSWORD }, ip);
  expect(response.status).toBe(200);
  expect(await body(response)).toMatchObject({ twoFactorRedirect: true });
  expect(response.headers.getSetCookie().some((one) => /^better-auth\.session_token=[^;]/.test(one))).toBe(false);
  return cookiesOf(response);
}

describe("two-factor sign-in (TOTP and recovery codes)", () => {
  it("enrols with a code from the app, then signs in only with the second factor, and audits both", async () => {
    const { email, user, totp } = await enrolled();
    const ip = randomIp();
    const pending = await passwordStep(email, ip);
    expect((await post("/two-factor/verify-totp", { code: "123456" }, ip, pending)).status).toBe(401);
    // The app's next code (the one that set it up was used; codes of the steps either side are accepted).
    const signedIn = await post(
      "/two-factor/verify-totp",
      { code: totp.generate({ timestamp: Date.now() + 30_000 }) },
      ip,
      pending,
    );
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.getSetCookie().some((one) => /^better-auth\.session_token=[^;]/.test(one))).toBe(true);
    const actions = await db.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { occurredAt: "asc" } });
    expect(actions.map(({ action }) => action)).toEqual([
      "auth.sign_up",
      "auth.mfa_enable",
      "auth.sign_in_awaiting_second_factor",
      "auth.sign_in",
    ]);
    expect(actions.at(-1)?.metadata).toEqual({ secondFactor: "totp" });
    // The person is told, by mail, that two-factor sign-in went on.
    const notice = await db.outboxEmail.findFirstOrThrow({ where: { toAddress: email, kind: "security-notice" } });
    expect(notice.subject).toBe("Two-factor sign-in is on for your aiaas account");
    expect(notice.textBody).toContain(`${baseUrl}/forgot-password`);
  });

  it("takes each code once: the same code again, within its 30 seconds, is refused and gives no session", async () => {
    const { email, user, totp } = await enrolled();
    const ip = randomIp();
    // The next step's code: not the one enrolment used, and still inside the accepted window (one step either
    // side) when the replay comes, however slow the machine (the previous step's could fall out of it).
    const code = totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await post("/two-factor/verify-totp", { code }, ip, await passwordStep(email, ip))).status).toBe(200);
    const sessions = await db.session.count({ where: { userId: user.id } });
    const replayed = await post("/two-factor/verify-totp", { code }, ip, await passwordStep(email, ip));
    expect(replayed.status).toBe(401);
    expect(await body(replayed)).toMatchObject({
      message: "That code was already used. Wait for the next one from your app.",
    });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(sessions);
    expect(await db.auditEvent.count({ where: { targetId: user.id, action: "auth.mfa_code_reused" } })).toBe(1);
  });

  it("takes a recovery code once, audited", async () => {
    const { email, user, recoveryCodes } = await enrolled();
    const [code] = recoveryCodes;
    const ip = randomIp();
    expect((await post("/two-factor/verify-backup-code", { code }, ip, await passwordStep(email, ip))).status).toBe(
      200,
    );
    const again = await post("/two-factor/verify-backup-code", { code }, ip, await passwordStep(email, ip));
    expect(again.status).toBe(401);
    expect(await db.auditEvent.count({ where: { targetId: user.id, action: "auth.mfa_recovery_code_used" } })).toBe(1);
  });

  it("turns off with the password, audited; secrets are never read by our own client", async () => {
    const { user, cookie } = await enrolled();
    const row = await db.twoFactor.findFirstOrThrow({ where: { userId: user.id } });
    expect(row).not.toHaveProperty("secret");
    expect(row).not.toHaveProperty("backupCodes");
    expect((await post("/two-factor/disable", { password: "not the password" }, randomIp(), cookie)).status).toBe(400);
    expect((await post("/two-factor/disable", { password: PASSWORD }, randomIp(), cookie)).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabled).toBe(false);
    expect(await db.auditEvent.count({ where: { targetId: user.id, action: "auth.mfa_disable" } })).toBe(1);
  });
});
