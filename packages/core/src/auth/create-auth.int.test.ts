import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { createRedis } from "../redis/create-redis.ts";
import { testDb, testRedisUrl } from "../testing/index.ts";
import { createAuth } from "./create-auth.ts";
import { handleAuthRequest } from "./handle-auth-request.ts";
import { CLIENT_IP_HEADER } from "../net/client-address.ts";
import { SIGN_IN_PAIR_RULES, signInPairKeys } from "./auth-throttle.ts";
import { authRequests, cookiesOf, newEmail, randomIp } from "./testing/auth-requests.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "auth-test");
const baseUrl = "http://localhost:3999";
const auth = createAuth({
  databaseUrl: testDatabaseUrl(),
  db,
  redis,
  baseUrl,
  secret: "s".repeat(40),
  limits: { signUpsPerMinute: 3, signInsPerMinute: 100 },
});
beforeAll(() => redis.connect());
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

const post = authRequests(auth, baseUrl);

describe("console auth", () => {
  it("signs up with a scrypt hash (never the password), queues a verification mail and audits it", async () => {
    const email = newEmail();
    const response = await post(
      "/sign-up/email",
      { email, password: "a long enough password", name: "Grace" },
      randomIp(),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/better-auth\.session_token=.*HttpOnly.*SameSite=Lax/i);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.id).toMatch(/^usr_/);
    const account = await db.account.findFirstOrThrow({ where: { userId: user.id }, omit: { password: false } });
    expect(account.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { toAddress: email } });
    expect(mail).toMatchObject({ kind: "verify-email" });
    expect(mail.textBody).toContain(`${baseUrl}/api/auth/verify-email?token=`);
    expect(await db.auditEvent.count({ where: { action: "auth.sign_up", targetId: user.id } })).toBe(1);
    // A session lives 12 hours (ASVS 3.3.2); a password needs 12 characters (ASVS 2.1.1).
    const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect((session.expiresAt.getTime() - Date.now()) / 3_600_000).toBeCloseTo(12, 1);
    const short = await post("/sign-up/email", { email: newEmail(), password: "elevenchars", name: "S" }, randomIp());
    expect(short.status).toBe(400);
  });

  it("refuses a breached or guessable new password at sign-up, reset and change, saying why (ASVS 2.1.7)", async () => {
    const message = async (response: Response) => ((await response.json()) as { message: string }).message;
    const common = await post("/sign-up/email", { email: newEmail(), password: "Password123!", name: "C" }, randomIp());
    expect(common.status).toBe(400);
    expect(await message(common)).toMatch(/^This password is too easy to guess\. This is similar to a commonly used/);
    // What the person typed beside it is known to an attacker: their own address is no password.
    const email = newEmail();
    const own = await post("/sign-up/email", { email, password: email, name: "Own" }, randomIp());
    expect(own.status).toBe(400);
    expect(await db.user.count({ where: { email } })).toBe(0);
    const ip = randomIp();
    const signedUp = await post("/sign-up/email", { email, password: "a fine password", name: "Own" }, ip);
    expect(signedUp.status).toBe(200);
    const cookie = cookiesOf(signedUp);
    const change = (newPassword: string) =>
      post("/change-password", { currentPassword: "a fine password", newPassword }, ip, cookie);
    const walk = await change("qwertyuiop123");
    expect(walk.status).toBe(400);
    expect(await message(walk)).toMatch(/too easy to guess/);
    expect((await change("a finer password than before")).status).toBe(200);
  });

  it("confirms the signed-in person's password for the session, audited, with sign-in's limits on guesses", async () => {
    const email = newEmail();
    const ip = randomIp();
    const signedUp = await post("/sign-up/email", { email, password: "the right password", name: "Re" }, ip);
    const cookie = cookiesOf(signedUp);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const session = () => db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect((await session()).reauthenticatedAt).toBeNull();
    expect((await post("/reauthenticate", { password: "the right password" }, ip)).status).toBe(401);

    const wrong = await post("/reauthenticate", { password: "not my password" }, ip, cookie);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toBe("That is not your password.");
    expect((await session()).reauthenticatedAt).toBeNull();
    const before = Date.now();
    expect((await post("/reauthenticate", { password: "the right password" }, ip, cookie)).status).toBe(200);
    expect((await session()).reauthenticatedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const audited = await db.auditEvent.findMany({ where: { action: "auth.reauthenticate", targetId: user.id } });
    expect(audited.map((event) => event.result).sort()).toEqual(["failure", "success"]);

    // Guessing someone's password through their open session is sign-in guessing: 3 a minute from one address.
    const guesses = await Promise.all(
      Array.from({ length: 6 }, () => post("/reauthenticate", { password: "a guess at it" }, ip, cookie)),
    );
    expect(guesses.map((response) => response.status).sort()).toEqual([400, 400, 400, 429, 429, 429]);
  });

  it("gives a suspended person no session, with a message that says so", async () => {
    const email = newEmail();
    await post("/sign-up/email", { email, password: "the right password", name: "Sus" }, randomIp());
    await db.user.update({ where: { email }, data: { banned: true } });
    const refused = await post("/sign-in/email", { email, password: "the right password" }, randomIp());
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(
      "This account is suspended. Contact support to have it resumed.",
    );
  });

  it("sets __Host- cookies (Secure, Path=/, no Domain) when the console's public URL is https", async () => {
    const httpsUrl = "https://console.example.com";
    const overHttpsAuth = createAuth({
      databaseUrl: testDatabaseUrl(),
      db,
      redis,
      baseUrl: httpsUrl,
      secret: "s".repeat(40),
    });
    const overHttps = authRequests(overHttpsAuth, httpsUrl);
    const response = await overHttps(
      "/sign-up/email",
      { email: newEmail(), password: "a long enough password", name: "Sec" },
      randomIp(),
    );
    expect(response.status).toBe(200);
    const session = response.headers.getSetCookie().find((cookie) => cookie.includes(".session_token="));
    expect(session).toMatch(/^__Host-better-auth\.session_token=[^;]+;/);
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*Path=\/(;|$)/i);
    expect(session).not.toMatch(/;\s*Domain=/i);
    // The cookie it set signs the next request in.
    const me = await handleAuthRequest(
      overHttpsAuth,
      new Request(`${httpsUrl}/api/auth/get-session`, { headers: { cookie: cookiesOf(response), origin: httpsUrl } }),
    );
    expect(((await me.json()) as { user?: { name: string } } | null)?.user?.name).toBe("Sec");
  });

  it("limits sign-ups per IP", async () => {
    const ip = randomIp();
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await post("/sign-up/email", { email: newEmail(), password: "a long enough password", name: "N" }, ip)).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("checks exactly the allowance of 100 parallel wrong passwords from one IP, while the owner signs in from another", async () => {
    const email = newEmail();
    await post("/sign-up/email", { email, password: "the right password", name: "Lin" }, randomIp());
    const attacker = randomIp();
    const [guesses, owner] = await Promise.all([
      Promise.all(
        Array.from({ length: 100 }, () => post("/sign-in/email", { email, password: "wrong password!" }, attacker)),
      ),
      post("/sign-in/email", { email, password: "the right password" }, randomIp()),
    ]);
    const allowance = SIGN_IN_PAIR_RULES[0].max;
    const statuses = guesses.map(({ status }) => status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(allowance);
    expect(statuses.filter((status) => status === 429)).toHaveLength(100 - allowance);
    expect(owner.status).toBe(200);
    const refused = guesses.find(({ status }) => status === 429);
    expect(((await refused?.json()) as { message: string }).message).toMatch(
      /^Too many failed sign-ins for this account\. Try again in (\d+ seconds?|1 minute), or reset your password\.$/,
    );
    // Each checked guess is audited, in the accounts' chains, not the platform's.
    const failures = await db.auditEvent.findMany({ where: { action: "auth.sign_in_failed", actorLabel: email } });
    expect(failures).toHaveLength(allowance);
    expect(failures.every(({ chain, ip }) => chain.startsWith("accounts:") && ip === attacker)).toBe(true);
    // Even the right password from the attacker's address waits; the owner's address was never refused.
    expect((await post("/sign-in/email", { email, password: "the right password" }, attacker)).status).toBe(429);
  });

  it("slows an address that keeps guessing, then stops it; the right password clears its guesses", async () => {
    const email = newEmail();
    await post("/sign-up/email", { email, password: "the right password", name: "Ken" }, randomIp());
    const ip = randomIp();
    const guess = async (password = "wrong password!") =>
      (await post("/sign-in/email", { email, password }, ip)).status;
    const [slow, stop] = SIGN_IN_PAIR_RULES;
    const [minute] = signInPairKeys(ip, email);
    expect([await guess(), await guess(), await guess("the right password")]).toEqual([401, 401, 200]);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await db.auditEvent.count({ where: { action: "auth.sign_in", targetId: user.id } })).toBe(1);

    // Cleared: a full minute's allowance again, then a wait of seconds.
    for (let i = 0; i < slow.max; i++) expect(await guess()).toBe(401);
    const slowed = await post("/sign-in/email", { email, password: "the right password" }, ip);
    expect(slowed.status).toBe(429);
    expect(((await slowed.json()) as { message: string }).message).toMatch(
      /Try again in (\d+ seconds?|1 minute), or reset/,
    );
    // Each minute passes (its counter goes); the quarter hour's keeps counting up to the stop.
    for (let guessed = slow.max; guessed < stop.max; guessed++) {
      if (guessed % slow.max === 0) await redis.del(minute ?? "");
      expect(await guess()).toBe(401);
    }
    await redis.del(minute ?? "");
    const stopped = await post("/sign-in/email", { email, password: "the right password" }, ip);
    expect(stopped.status).toBe(429);
    expect(((await stopped.json()) as { message: string }).message).toMatch(/Try again in 1[45] minutes, or reset/);
  });

  it("limits password-reset and verification mail per address and per account", async () => {
    const email = newEmail();
    await post("/sign-up/email", { email, password: "the right password", name: "Max" }, randomIp());
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await post("/request-password-reset", { email, redirectTo: "/reset-password" }, randomIp())).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await db.outboxEmail.count({ where: { toAddress: email, kind: "reset-password" } })).toBe(3);
    const ip = randomIp();
    const fromOneAddress = [];
    for (let i = 0; i < 11; i++)
      fromOneAddress.push((await post("/send-verification-email", { email: newEmail() }, ip)).status);
    expect(fromOneAddress.filter((status) => status === 429)).toEqual([429]);
  });

  it("refuses a cookie-carrying request from a foreign origin (CSRF)", async () => {
    const response = await handleAuthRequest(
      auth,
      new Request(`${baseUrl}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "https://evil.example",
          cookie: "better-auth.session_token=anything",
          [CLIENT_IP_HEADER]: randomIp(),
        },
        body: JSON.stringify({ email: newEmail(), password: "whatever password" }),
      }),
    );
    expect(response.status).toBe(403);
  });
});

describe("console auth without Redis", () => {
  it("refuses sign-in with a 503 that says so, not a 500", async () => {
    const down = createRedis("redis://127.0.0.1:1", "client", "auth-down");
    down.on("error", () => {});
    const isolated = createAuth({ databaseUrl: testDatabaseUrl(), db, redis: down, baseUrl, secret: "s".repeat(40) });
    try {
      const response = await authRequests(isolated, baseUrl)(
        "/sign-in/email",
        { email: newEmail(), password: "whatever password" },
        randomIp(),
      );
      expect(response.status).toBe(503);
      expect(((await response.json()) as { message: string }).message).toBe(
        "Sign-in is unavailable for a moment. Please try again shortly.",
      );
    } finally {
      down.disconnect();
    }
  });
});

describe("password reset", () => {
  it("audits a signed-in user's renaming and signing out elsewhere; a blank or overlong name is refused", async () => {
    const email = newEmail();
    const ip = randomIp();
    const blank = await post("/sign-up/email", { email, password: "a fine password", name: "  " }, ip);
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { message: string }).message).toBe("Your name must be 1 to 100 characters.");
    const signedUp = await post("/sign-up/email", { email, password: "a fine password", name: "Grace" }, ip);
    const cookie = (signedUp.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const asUser = (path: string, body: unknown) => post(path, body, ip, cookie);
    expect((await asUser("/update-user", { name: "Grace Hopper" })).status).toBe(200);
    expect((await asUser("/update-user", { name: "x".repeat(101) })).status).toBe(400);
    // A name goes into mail others receive: no links.
    const linked = await asUser("/update-user", { name: "Reset yours at evil.example" });
    expect(linked.status).toBe(400);
    expect(((await linked.json()) as { message: string }).message).toBe(
      "A name cannot contain a web address or a link.",
    );
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.name).toBe("Grace Hopper");
    expect(await db.auditEvent.count({ where: { action: "auth.profile_update", targetId: user.id } })).toBe(1);

    // Signing the account out elsewhere is audited too.
    await post("/sign-in/email", { email, password: "a fine password" }, ip);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2);
    expect((await asUser("/revoke-other-sessions", {})).status).toBe(200);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "auth.sessions_revoke", targetId: user.id } })).toBe(1);
  });

  it("mails a link whose token sets a new password, signs the account out everywhere, and audits it", async () => {
    const email = newEmail();
    await post("/sign-up/email", { email, password: "the old password", name: "Ray" }, randomIp());
    expect((await post("/request-password-reset", { email, redirectTo: "/reset-password" }, randomIp())).status).toBe(
      200,
    );
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { toAddress: email, kind: "reset-password" } });
    const token = /\/reset-password\/([^?\s]+)/.exec(mail.textBody)?.[1];
    expect(token).toBeTruthy();

    // A guessable password is refused and the link still works.
    expect((await post("/reset-password", { newPassword: "aaaaaaaaaaaa", token }, randomIp())).status).toBe(400);
    expect((await post("/reset-password", { newPassword: "the new password", token }, randomIp())).status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await post("/sign-in/email", { email, password: "the old password" }, randomIp())).status).toBe(401);
    expect((await post("/sign-in/email", { email, password: "the new password" }, randomIp())).status).toBe(200);
    expect(await db.auditEvent.count({ where: { action: "auth.password_reset", targetId: user.id } })).toBe(1);
    expect(
      (await db.outboxEmail.findMany({ where: { toAddress: email, kind: "security-notice" } })).map(
        ({ subject }) => subject,
      ),
    ).toEqual(["Your aiaas password was reset"]);
    // a used token does not work twice
    expect((await post("/reset-password", { newPassword: "a third password", token }, randomIp())).status).toBe(400);
  });
});
