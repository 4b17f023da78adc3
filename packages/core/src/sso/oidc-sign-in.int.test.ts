import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcRedirectUri, passwordRefused } from "../auth/single-sign-on.ts";
import { newId } from "../ids.ts";
import { createTestTenant, testContext } from "../testing/index.ts";
import { configureSso } from "./configure-sso.ts";
import { idpBrowser } from "./testing/idp-browser.ts";
import { startOidcIdp } from "./testing/oidc-idp.ts";
import { ssoTestAuth } from "./testing/sso-auth.ts";

const baseUrl = "http://localhost:3998";
const { db, redis, keyring, app: handle } = ssoTestAuth(baseUrl);
const app = handle;
/** A JSON POST to better-auth, from the console's own origin. */
const post = (path: string, body: unknown) =>
  app(
    new Request(`${baseUrl}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify(body),
    }),
  );
const idp = await startOidcIdp({
  clientId: "aiaas",
  clientSecret: "idp-secret",
  redirectUri: oidcRedirectUri(baseUrl),
});
const domain = `oidc-${randomBytes(4).toString("hex")}.example`;
let tenantId = "";

beforeAll(async () => {
  await redis.connect();
  const tenant = await createTestTenant(db, "oidc");
  tenantId = tenant.id;
  await db.ssoDomain.create({
    data: { id: newId("ssoDomain"), tenantId, domain, token: "t", verifiedAt: new Date() },
  });
  await db.$transaction((tx) =>
    configureSso(
      {
        tenantId,
        protocol: "oidc",
        issuer: idp.issuer,
        clientId: "aiaas",
        clientSecret: "idp-secret",
        scopes: "openid email profile groups",
        emailClaim: "email",
        groupsClaim: "groups",
        roleMapping: { "eng-team": "developer", "it-admins": "admin" },
        defaultRole: null,
        enforced: false,
      },
      { keyring },
      testContext,
      tx,
    ),
  );
});
afterAll(async () => {
  await idp.close();
  redis.disconnect();
});

/** A person signs in from the console's SSO form through the IdP; where they end up. */
async function signIn(login: string, options: { password?: string } = {}) {
  const browser = idpBrowser(app, baseUrl);
  const page = await browser.startSso(`${login}@${domain}`);
  const back = await browser.signInAtIdp(page, login, options.password ?? "idp-password");
  return { browser, landedAt: back.url, cookies: browser.cookiesFor(baseUrl) };
}

const person = (login: string, groups: string[]) => {
  idp.users.set(login, { password: "idp-password", email: `${login}@${domain}`, name: `Person ${login}`, groups });
  return `${login}@${domain}`;
};

describe("OIDC single sign-on", () => {
  it("signs a new person in through the IdP into the tenant with the role their groups map to", async () => {
    const email = person("ada", ["eng-team", "everyone"]);
    const { landedAt, cookies } = await signIn("ada");
    expect(landedAt.toString()).toBe(`${baseUrl}/`);
    expect(cookies).toMatch(/better-auth\.session_token=/);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerified).toBe(true);
    const membership = await db.membership.findUniqueOrThrow({
      where: { tenantId_userId: { tenantId, userId: user.id } },
    });
    expect(membership.role).toBe("developer");
    const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session).toMatchObject({ activeTenantId: tenantId, ssoTenantId: tenantId });
    // No password to confirm: the answer says how to prove who they are instead.
    const confirm = await app(
      new Request(`${baseUrl}/api/auth/reauthenticate`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseUrl, cookie: cookies },
        body: JSON.stringify({ password: "anything at all" }),
      }),
    );
    expect(confirm.status).toBe(400);
    expect(await confirm.json()).toMatchObject({ code: "NO_PASSWORD" });
    const events = await db.auditEvent.findMany({ where: { tenantId, targetId: { in: [user.id, membership.id] } } });
    expect(events.map((event) => event.action).sort()).toEqual(["auth.sso_sign_in", "member.provision"]);
  });

  it("follows the person's groups at each sign-in: a new group raises the role, no mapped group ends the membership", async () => {
    const email = person("grace", ["eng-team"]);
    await signIn("grace");
    person("grace", ["eng-team", "it-admins"]);
    await signIn("grace");
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const where = { tenantId_userId: { tenantId, userId: user.id } };
    expect((await db.membership.findUniqueOrThrow({ where })).role).toBe("admin");
    person("grace", ["sales"]);
    const refused = await signIn("grace");
    expect(refused.landedAt.toString()).toBe(`${baseUrl}/sign-in?sso_error=role_removed`);
    expect(refused.cookies).not.toMatch(/session_token/);
    expect(await db.membership.findUnique({ where })).toBeNull();
    expect(await db.auditEvent.count({ where: { tenantId, action: "member.remove" } })).toBeGreaterThan(0);
  });

  it.each([
    [
      "a tampered ID token (claims edited under the IdP's signature)",
      { kind: "tamper", claims: { groups: ["it-admins"] } },
      /signature/i,
    ],
    ["an ID token for another client (wrong audience)", { kind: "resign", claims: { aud: "someone-else" } }, /"aud"/],
    ["an expired ID token", { kind: "resign", claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }, /"exp"/],
    ["an ID token from another issuer", { kind: "resign", claims: { iss: "https://evil.example" } }, /"iss"/],
    ["an ID token without the nonce this sign-in sent", { kind: "resign", claims: { nonce: "guessed" } }, /"nonce"/],
  ] as const)("refuses %s", async (_, mischief, why) => {
    const email = person(`m${randomBytes(3).toString("hex")}`, ["eng-team"]);
    idp.misbehave(mischief);
    try {
      const { landedAt, cookies } = await signIn(email.split("@")[0] ?? "");
      expect(landedAt.toString()).toBe(`${baseUrl}/sign-in?sso_error=invalid_response`);
      expect(cookies).not.toMatch(/session_token/);
    } finally {
      idp.misbehave(null);
    }
    expect(await db.user.findUnique({ where: { email } })).toBeNull();
    const failure = await db.auditEvent.findFirstOrThrow({
      where: { tenantId, action: "auth.sso_sign_in", result: "failure" },
      orderBy: { seq: "desc" },
    });
    expect(failure.metadata).toMatchObject({ reason: "invalid_response" });
    expect((failure.metadata as { detail: string }).detail).toMatch(why);
  });

  it("has a signed-in person prove who they are at the IdP again: signed in afresh there, this session stamped, back where they were", async () => {
    const email = person("joan", ["eng-team"]);
    const { browser } = await signIn("joan");
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.reauthenticatedAt).toBeNull();
    // The browser still holds its IdP session: the IdP shows its sign-in page only because it is asked to (prompt=login).
    const page = await browser.startReauthentication("/keys?from=dialog");
    const before = Date.now();
    const back = await browser.signInAtIdp(page, "joan", "idp-password");
    expect(back.url.toString()).toBe(`${baseUrl}/keys?from=dialog`);
    const stamped = await db.session.findMany({ where: { userId: user.id } });
    expect(stamped.map(({ id }) => id)).toEqual([session.id]);
    expect(stamped[0]?.reauthenticatedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { tenantId, action: "auth.reauthenticate", targetId: user.id },
    });
    expect(event).toMatchObject({ result: "success", metadata: { protocol: "oidc", via: "oidc" } });
  });

  it("refuses a re-authentication by someone else, or that the IdP answered from an old sign-in; sends only to console paths", async () => {
    const email = person("ida", ["eng-team"]);
    person("eve", ["eng-team"]);
    const { browser } = await signIn("ida");
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const stamp = async () => (await db.session.findFirstOrThrow({ where: { userId: user.id } })).reauthenticatedAt;
    const someoneElse = await browser.signInAtIdp(await browser.startReauthentication("/keys"), "eve", "idp-password");
    expect(someoneElse.url.toString()).toBe(`${baseUrl}/sign-in?sso_error=not_you`);
    expect(await stamp()).toBeNull();
    idp.misbehave({ kind: "resign", claims: { auth_time: Math.floor(Date.now() / 1000) - 3600 } });
    try {
      const stale = await browser.signInAtIdp(await browser.startReauthentication("/keys"), "ida", "idp-password");
      expect(stale.url.toString()).toBe(`${baseUrl}/sign-in?sso_error=invalid_response`);
    } finally {
      idp.misbehave(null);
    }
    expect(await stamp()).toBeNull();
    const failures = await db.auditEvent.findMany({
      where: { tenantId, action: "auth.reauthenticate", result: "failure" },
      orderBy: { seq: "desc" },
      take: 2,
    });
    expect(failures.map((failure) => (failure.metadata as { reason: string }).reason)).toEqual([
      "invalid_response",
      "not_you",
    ]);
    const offsite = await browser.signInAtIdp(
      await browser.startReauthentication("//evil.example/keys"),
      "ida",
      "idp-password",
    );
    expect(offsite.url.toString()).toBe(`${baseUrl}/`);
    expect(await stamp()).not.toBeNull();
    expect((await post("/sso/reauthenticate", { returnTo: "/keys" })).status).toBe(401);
  });

  it("refuses a replayed callback (the state is used once) and a callback from another browser (login CSRF)", async () => {
    person("linus", ["eng-team"]);
    const callbacks: Request[] = [];
    const browser = idpBrowser(async (request) => {
      if (new URL(request.url).pathname.endsWith("/sso/oidc/callback")) callbacks.push(request.clone());
      return app(request);
    }, baseUrl);
    const page = await browser.startSso(`linus@${domain}`);
    // Someone else's callback link, opened in this browser: its state is not the one this browser holds.
    const stranger = await signIn("linus");
    expect(stranger.landedAt.toString()).toBe(`${baseUrl}/`);
    const strangerCallback = callbacks.length;
    await browser.signInAtIdp(page, "linus", "idp-password");
    expect(callbacks).toHaveLength(strangerCallback + 1);
    const [mine] = callbacks.slice(-1);
    if (!mine) throw new Error("no callback");
    const replay = await app(new Request(mine.url, { headers: mine.headers }));
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toBe(`${baseUrl}/sign-in?sso_error=expired`);
    expect(replay.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
    // The victim's browser (holding its own pending state) follows a link with the attacker's code and state.
    const forged = new URL(mine.url);
    const victim = await app(new Request(forged, { headers: { cookie: "better-auth.sso_state=another-state" } }));
    expect(victim.headers.get("location")).toBe(`${baseUrl}/sign-in?sso_error=expired`);
  });

  it("refuses an address the tenant has not verified, and answers 404 for a domain without SSO", async () => {
    idp.users.set("mallory", {
      password: "idp-password",
      email: "mallory@elsewhere.example",
      name: "M",
      groups: ["it-admins"],
    });
    const browser = idpBrowser(app, baseUrl);
    const back = await browser.signInAtIdp(await browser.startSso(`whoever@${domain}`), "mallory", "idp-password");
    expect(back.url.toString()).toBe(`${baseUrl}/sign-in?sso_error=domain_not_verified`);
    expect(await db.user.findUnique({ where: { email: "mallory@elsewhere.example" } })).toBeNull();
    const none = await post("/sso/start", { email: "someone@no-sso.example" });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ code: "SSO_NOT_CONFIGURED" });
  });

  it("keeps the client secret sealed, and refuses passwords where the tenant enforces SSO (operators exempt)", async () => {
    const connection = await db.ssoConnection.findUniqueOrThrow({ where: { tenantId } });
    expect(Buffer.from(connection.clientSecret ?? []).toString("latin1")).not.toContain("idp-secret");
    const member = person("hopper", ["eng-team"]);
    await signIn("hopper");
    const password = "a long enough password 1";
    const outsider = `outsider-${randomBytes(3).toString("hex")}@example.com`;
    expect((await post("/sign-up/email", { email: outsider, password, name: "O" })).status).toBe(200);
    const operator = await db.user.create({
      data: {
        id: newId("user"),
        email: `op-${randomBytes(3).toString("hex")}@${domain}`,
        name: "Op",
        role: "operator",
      },
    });
    await db.ssoConnection.update({ where: { tenantId }, data: { enforced: true } });
    try {
      const signIn = await post("/sign-in/email", { email: member, password });
      expect(signIn.status).toBe(403);
      expect(await signIn.json()).toMatchObject({ code: "SSO_REQUIRED" });
      const signUp = await post("/sign-up/email", { email: `new@${domain}`, password, name: "N" });
      expect(signUp.status).toBe(403);
      // A member of the enforcing tenant whose address is elsewhere is held to it too.
      const outsiderUser = await db.user.findUniqueOrThrow({ where: { email: outsider } });
      await db.membership.create({
        data: { id: newId("membership"), tenantId, userId: outsiderUser.id, role: "viewer" },
      });
      expect((await post("/sign-in/email", { email: outsider, password })).status).toBe(403);
      expect(await passwordRefused(db, operator.email)).toBe(false);
    } finally {
      await db.ssoConnection.update({ where: { tenantId }, data: { enforced: false } });
    }
    expect((await post("/sign-in/email", { email: outsider, password })).status).toBe(200);
  });
});
