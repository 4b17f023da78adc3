import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../ids.ts";
import { createTestTenant, testContext } from "../testing/index.ts";
import { configureSso, loadIdpMetadata } from "./configure-sso.ts";
import { samlServiceProvider } from "./saml-sign-in.ts";
import { samlConnectionInput } from "./sso-connection-input.ts";
import { idpBrowser } from "./testing/idp-browser.ts";
import { startSamlIdp, type SamlMischief } from "./testing/saml-idp.ts";
import { ssoTestAuth } from "./testing/sso-auth.ts";

// Over https, as in production: the SAML request is bound to the browser by a SameSite=None cookie.
const baseUrl = "https://localhost:3997";
const { db, redis, keyring, app: handle } = ssoTestAuth(baseUrl);
const posted: Request[] = [];
/** While set, responses posted to the ACS are kept, not delivered (someone took them on the way). */
let intercept = false;
const app = (request: Request) => {
  if (new URL(request.url).pathname.includes("/sso/saml/acs/")) {
    posted.push(request.clone());
    if (intercept) return Promise.resolve(new Response(null, { status: 204 }));
  }
  return handle(request);
};
const idp = await startSamlIdp();
const domain = `saml-${randomBytes(4).toString("hex")}.example`;
let tenantId = "";
let connectionId = "";

beforeAll(async () => {
  await redis.connect();
  tenantId = (await createTestTenant(db, "saml")).id;
  await db.ssoDomain.create({ data: { id: newId("ssoDomain"), tenantId, domain, token: "t", verifiedAt: new Date() } });
  // Imported by URL, as an owner would paste the IdP's metadata address.
  const input = samlConnectionInput.parse({
    protocol: "saml",
    metadataUrl: `${idp.entityId}`,
    roleMapping: { "eng-team": "developer", "it-admins": "admin" },
  });
  const metadata = await loadIdpMetadata(input, true);
  const saved = await db.$transaction((tx) =>
    configureSso({ ...input, tenantId, metadata }, { keyring }, testContext, tx),
  );
  connectionId = saved.id;
});
afterAll(async () => {
  await idp.close();
  redis.disconnect();
});

const person = (login: string, groups: string[]) => {
  idp.users.set(login, { password: "idp-password", email: `${login}@${domain}`, name: `Person ${login}`, groups });
  return `${login}@${domain}`;
};

async function signIn(login: string) {
  const browser = idpBrowser(app, baseUrl);
  const back = await browser.signInAtIdp(await browser.startSso(`${login}@${domain}`), login, "idp-password");
  return { landedAt: back.url.toString(), cookies: browser.cookiesFor(baseUrl) };
}

describe("SAML single sign-on", () => {
  it("imports the IdP's metadata and publishes ours", async () => {
    const connection = await db.ssoConnection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection).toMatchObject({ protocol: "saml", issuer: idp.entityId });
    expect(connection.ssoUrl).toMatch(/\/sso$/);
    expect(connection.idpCertificates).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const ours = await app(new Request(`${baseUrl}/api/auth/sso/saml/metadata/${connectionId}`));
    const xml = await ours.text();
    const sp = samlServiceProvider(baseUrl, connectionId);
    expect(xml).toContain(`entityID="${sp.entityId}"`);
    expect(xml).toContain(`Location="${sp.acsUrl}"`);
  });

  it("signs a person in through the IdP into the tenant with the role their groups map to", async () => {
    const email = person("ada", ["eng-team"]);
    const { landedAt, cookies } = await signIn("ada");
    expect(landedAt).toBe(`${baseUrl}/`);
    expect(cookies).toMatch(/better-auth\.session_token=/);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const membership = await db.membership.findUniqueOrThrow({
      where: { tenantId_userId: { tenantId, userId: user.id } },
    });
    expect(membership.role).toBe("developer");
    expect(
      await db.account.count({ where: { userId: user.id, providerId: `sso:${connectionId}`, accountId: "ada" } }),
    ).toBe(1);
  });

  it.each<[string, SamlMischief, string]>([
    ["a response edited after signing", { kind: "tamper" }, "invalid_response"],
    ["a response signed by a key the tenant did not give us", { kind: "foreign-key" }, "invalid_response"],
    [
      "an assertion for another audience",
      { kind: "audience", audience: "https://other-sp.example" },
      "invalid_response",
    ],
    [
      "a response sent to another recipient",
      { kind: "recipient", recipient: "https://other-sp.example/acs" },
      "invalid_response",
    ],
    ["an expired assertion (past NotOnOrAfter, beyond a minute's skew)", { kind: "expired" }, "invalid_response"],
  ])("refuses %s", async (_, mischief, code) => {
    const login = `m${randomBytes(3).toString("hex")}`;
    const email = person(login, ["eng-team"]);
    idp.misbehave(mischief);
    try {
      const { landedAt, cookies } = await signIn(login);
      expect(landedAt).toBe(`${baseUrl}/sign-in?sso_error=${code}`);
      expect(cookies).not.toMatch(/session_token/);
    } finally {
      idp.misbehave(null);
    }
    expect(await db.user.findUnique({ where: { email } })).toBeNull();
  });

  it("refuses a replayed response: each request is answered once", async () => {
    person("grace", ["it-admins"]);
    posted.length = 0;
    expect((await signIn("grace")).landedAt).toBe(`${baseUrl}/`);
    const [first] = posted;
    if (!first) throw new Error("nothing posted");
    // From the IdP's site, with a cookie of ours the browser sent along: the ACS takes it (no origin check there).
    const headers = new Headers(first.headers);
    headers.set("cookie", "better-auth.unrelated=1");
    const replay = await handle(new Request(first.url, { method: "POST", headers, body: await first.text() }));
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toBe(`${baseUrl}/sign-in?sso_error=expired`);
    expect(replay.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
    const refusal = await db.auditEvent.findFirstOrThrow({
      where: { tenantId, action: "auth.sso_sign_in", result: "failure" },
      orderBy: { seq: "desc" },
    });
    expect(refusal.metadata).toMatchObject({ protocol: "saml", reason: "expired" });
  });

  it("refuses a response posted by a browser that did not start its sign-in (login CSRF)", async () => {
    person("mallory", ["it-admins"]);
    const attacker = idpBrowser(app, baseUrl);
    posted.length = 0;
    intercept = true;
    try {
      await attacker.signInAtIdp(await attacker.startSso(`mallory@${domain}`), "mallory", "idp-password");
    } finally {
      intercept = false;
    }
    const [taken] = posted;
    if (!taken) throw new Error("nothing posted");
    const body = await taken.clone().text();
    const acs = (cookie: string) =>
      handle(
        new Request(taken.url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
          body,
        }),
      );
    // The victim's browser holds a sign-in of its own, or none.
    const victim = idpBrowser(app, baseUrl);
    await victim.startSso(`someone@${domain}`);
    const forged = await acs(victim.cookiesFor(baseUrl));
    expect(forged.headers.get("location")).toBe(`${baseUrl}/sign-in?sso_error=expired`);
    expect(forged.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
    expect((await acs("")).headers.get("location")).toBe(`${baseUrl}/sign-in?sso_error=expired`);
  });
  it("has a signed-in person prove who they are at the IdP again (ForceAuthn), refusing an answer from an older sign-in", async () => {
    const email = person("joan", ["eng-team"]);
    const browser = idpBrowser(app, baseUrl);
    await browser.signInAtIdp(await browser.startSso(email), "joan", "idp-password");
    expect(idp.lastForcedAuthn()).toBe(false);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const stamp = async () => (await db.session.findFirstOrThrow({ where: { userId: user.id } })).reauthenticatedAt;
    expect(await stamp()).toBeNull();
    idp.misbehave({ kind: "stale-authn" });
    try {
      const stale = await browser.signInAtIdp(await browser.startReauthentication("/keys"), "joan", "idp-password");
      expect(stale.url.toString()).toBe(`${baseUrl}/sign-in?sso_error=invalid_response`);
    } finally {
      idp.misbehave(null);
    }
    expect(await stamp()).toBeNull();
    const before = Date.now();
    const page = await browser.startReauthentication("/settings/sso");
    expect(idp.lastForcedAuthn()).toBe(true);
    const back = await browser.signInAtIdp(page, "joan", "idp-password");
    expect(back.url.toString()).toBe(`${baseUrl}/settings/sso`);
    expect((await stamp())?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const events = await db.auditEvent.findMany({
      where: { tenantId, action: "auth.reauthenticate" },
      orderBy: { seq: "asc" },
    });
    expect(events.map((event) => event.result)).toEqual(["failure", "success"]);
  });
});
