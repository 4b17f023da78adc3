import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcRedirectUri } from "../auth/single-sign-on.ts";
import { createPlaygroundKey } from "../keys/create-playground-key.ts";
import { newId } from "../ids.ts";
import { configureSso } from "../sso/configure-sso.ts";
import { oidcConnectionInput } from "../sso/sso-connection-input.ts";
import { idpBrowser } from "../sso/testing/idp-browser.ts";
import { startOidcIdp } from "../sso/testing/oidc-idp.ts";
import { ssoTestAuth } from "../sso/testing/sso-auth.ts";
import { createTestTenant, startTestVerifier, testContext, testPepper } from "../testing/index.ts";
import type { ApiKeyVerifier } from "../keys/api-key-verifier.ts";
import { handleScimRequest } from "./scim-handler.ts";
import { createScimToken, revokeScimToken } from "./scim-tokens.ts";

const baseUrl = "http://localhost:3996";
const { db, redis, keyring, auth, app } = ssoTestAuth(baseUrl);
const idp = await startOidcIdp({
  clientId: "aiaas",
  clientSecret: "idp-secret",
  redirectUri: oidcRedirectUri(baseUrl),
});
const domain = `scim-${randomBytes(4).toString("hex")}.example`;
let tenantId = "";
let token = "";
let verifier: ApiKeyVerifier;
let closeVerifier: () => void;

beforeAll(async () => {
  await redis.connect();
  ({ verifier, close: closeVerifier } = await startTestVerifier("scim-test"));
  tenantId = (await createTestTenant(db, "scim")).id;
  await db.ssoDomain.create({ data: { id: newId("ssoDomain"), tenantId, domain, token: "t", verifiedAt: new Date() } });
  const input = oidcConnectionInput.parse({
    protocol: "oidc",
    issuer: idp.issuer,
    clientId: "aiaas",
    clientSecret: "idp-secret",
    scopes: "openid email profile groups",
    roleMapping: { engineers: "developer", admins: "admin", leads: "admin" },
    defaultRole: "viewer",
  });
  await db.$transaction((tx) => configureSso({ ...input, tenantId }, { keyring }, testContext, tx));
  ({ secret: token } = await db.$transaction((tx) =>
    createScimToken({ tenantId, name: "Okta", createdById: null, pepper: testPepper }, testContext, tx),
  ));
});
afterAll(async () => {
  closeVerifier();
  await idp.close();
  redis.disconnect();
});

/** A request from the tenant's IdP to our SCIM endpoint. */
async function scim(method: string, path: string, body?: unknown, bearer = token) {
  const response = await handleScimRequest(
    new Request(`${baseUrl}/api/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/scim+json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }),
    { db, redis, pepper: testPepper, baseUrl },
  );
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { id: string },
  };
}

const roleOf = async (email: string) => {
  const user = await db.user.findUnique({ where: { email } });
  if (!user) return null;
  return (await db.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: user.id } } }))?.role ?? null;
};

const newUser = (login: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName: `${login}@${domain}`,
  name: { givenName: "Ada", familyName: login },
  emails: [{ value: `${login}@${domain}`, primary: true }],
  externalId: `ext-${login}`,
  active: true,
});

describe("SCIM provisioning", () => {
  it("creates a person with the default role, raises it through a group, and finds them by userName", async () => {
    const made = await scim("POST", "/Users", newUser("ada"));
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ userName: `ada@${domain}`, active: true, displayName: "Ada ada" });
    expect(await roleOf(`ada@${domain}`)).toBe("viewer");
    const group = await scim("POST", "/Groups", { displayName: "engineers", members: [{ value: made.body.id }] });
    expect(group.status).toBe(201);
    expect(await roleOf(`ada@${domain}`)).toBe("developer");
    const found = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "ada@${domain}"`)}`);
    expect(found.body).toMatchObject({
      totalResults: 1,
      Resources: [{ id: made.body.id, groups: [{ display: "engineers" }] }],
    });
    // Entra ID takes people out of a group with a filtered path.
    const out = await scim("PATCH", `/Groups/${group.body.id}`, {
      Operations: [{ op: "Remove", path: `members[value eq "${made.body.id}"]` }],
    });
    expect(out.status).toBe(200);
    expect(await roleOf(`ada@${domain}`)).toBe("viewer");
    expect(await scim("POST", "/Users", newUser("ada"))).toMatchObject({
      status: 409,
      body: { scimType: "uniqueness" },
    });
    // Renaming onto a name taken in this tenant: the IdP's mistake, a 409 (never a 500).
    const other = await scim("POST", "/Users", newUser("lin"));
    const clash = await scim("PATCH", `/Users/${other.body.id}`, {
      Operations: [{ op: "replace", path: "userName", value: `ada@${domain}` }],
    });
    expect(clash).toMatchObject({ status: 409, body: { scimType: "uniqueness" } });
    const admins = await scim("POST", "/Groups", { displayName: "admins" });
    const renamed = await scim("PUT", `/Groups/${admins.body.id}`, { displayName: "engineers" });
    expect(renamed).toMatchObject({ status: 409, body: { scimType: "uniqueness" } });
  });

  it("re-derives the roles a group change moves: of those who came or went, of everyone in it when renamed", async () => {
    const ids: Record<string, string> = {};
    for (const login of ["kim", "lee", "mo"]) ids[login] = (await scim("POST", "/Users", newUser(login))).body.id;
    const group = await scim("POST", "/Groups", {
      displayName: "testers",
      members: [{ value: ids.kim }, { value: ids.lee }],
    });
    expect(await roleOf(`kim@${domain}`)).toBe("viewer");
    // An owner makes Lee billing in the console: a change elsewhere in the group leaves that alone.
    const lee = await db.user.findUniqueOrThrow({ where: { email: `lee@${domain}` } });
    await db.membership.update({ where: { tenantId_userId: { tenantId, userId: lee.id } }, data: { role: "billing" } });
    const added = await scim("PATCH", `/Groups/${group.body.id}`, {
      Operations: [{ op: "add", path: "members", value: [{ value: ids.mo }] }],
    });
    expect(added.status).toBe(200);
    expect(await roleOf(`mo@${domain}`)).toBe("viewer");
    expect(await roleOf(`lee@${domain}`)).toBe("billing");
    // Roles follow group names: renamed to a mapped one, everyone in it moves.
    const renamed = await scim("PATCH", `/Groups/${group.body.id}`, {
      Operations: [{ op: "replace", path: "displayName", value: "leads" }],
    });
    expect(renamed.status).toBe(200);
    for (const login of ["kim", "lee", "mo"]) expect(await roleOf(`${login}@${domain}`)).toBe("admin");
    const out = await scim("PATCH", `/Groups/${group.body.id}`, {
      Operations: [{ op: "remove", path: `members[value eq "${ids.kim ?? ""}"]` }],
    });
    expect(out.status).toBe(200);
    expect(await roleOf(`kim@${domain}`)).toBe("viewer");
    expect(await roleOf(`mo@${domain}`)).toBe("admin");
    expect((await scim("DELETE", `/Groups/${group.body.id}`)).status).toBe(204);
    expect(await roleOf(`lee@${domain}`)).toBe("viewer");
  });

  it("deactivation ends the person's console session and playground keys within a second", async () => {
    const made = await scim("POST", "/Users", newUser("grace"));
    idp.users.set(`grace`, { password: "pw", email: `grace@${domain}`, name: "Grace", groups: [] });
    const browser = idpBrowser(app, baseUrl);
    const back = await browser.signInAtIdp(await browser.startSso(`grace@${domain}`), "grace", "pw");
    expect(back.url.toString()).toBe(`${baseUrl}/`);
    const headers = new Headers({ cookie: browser.cookiesFor(baseUrl) });
    const session = await auth.api.getSession({ headers });
    expect(session?.user.email).toBe(`grace@${domain}`);
    const playground = await db.$transaction((tx) =>
      createPlaygroundKey(
        { tenantId, sessionId: session?.session.id ?? "", userId: session?.user.id ?? "" },
        { ...testContext, pepper: testPepper },
        tx,
      ),
    );
    expect(await verifier.verify(playground.secret)).toMatchObject({ ok: true });

    const started = Date.now();
    // Okta deactivates with a path-less replace.
    const patched = await scim("PATCH", `/Users/${made.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    expect(patched).toMatchObject({ status: 200, body: { active: false } });
    await expect
      .poll(async () => (await auth.api.getSession({ headers })) === null, { timeout: 1000, interval: 20 })
      .toBe(true);
    await expect
      .poll(async () => (await verifier.verify(playground.secret)).ok, { timeout: 1000, interval: 20 })
      .toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await roleOf(`grace@${domain}`)).toBeNull();
    const actions = await db.auditEvent.findMany({ where: { tenantId, occurredAt: { gte: new Date(started - 1) } } });
    expect(actions.map((event) => event.action)).toEqual(
      expect.arrayContaining(["scim.user_deactivate", "member.remove"]),
    );

    // Entra ID sends booleans as strings: active again, a member again.
    const again = await scim("PATCH", `/Users/${made.body.id}`, {
      Operations: [{ op: "Replace", path: "active", value: "True" }],
    });
    expect(again.body).toMatchObject({ active: true });
    expect(await roleOf(`grace@${domain}`)).toBe("viewer");
    expect((await scim("DELETE", `/Users/${made.body.id}`)).status).toBe(204);
    expect(await roleOf(`grace@${domain}`)).toBeNull();
    expect((await scim("GET", `/Users/${made.body.id}`)).status).toBe(404);
  });

  it("refuses without a valid token, another tenant's token sees nothing of ours, and addresses outside verified domains are refused", async () => {
    expect((await scim("GET", "/Users", undefined, "scim_wrong")).status).toBe(401);
    const other = await createTestTenant(db, "scim-other");
    const { secret, token: record } = await db.$transaction((tx) =>
      createScimToken({ tenantId: other.id, name: "x", createdById: null, pepper: testPepper }, testContext, tx),
    );
    expect((await scim("GET", "/Users", undefined, secret)).body).toMatchObject({ totalResults: 0 });
    const ours = await scim("GET", "/Users");
    const [first] = ours.body.Resources as { id: string }[];
    expect((await scim("GET", `/Users/${first?.id ?? ""}`, undefined, secret)).status).toBe(404);
    expect((await scim("DELETE", `/Users/${first?.id ?? ""}`, undefined, secret)).status).toBe(404);
    await db.$transaction((tx) => revokeScimToken({ tenantId: other.id, tokenId: record.id }, testContext, tx));
    expect((await scim("GET", "/Users", undefined, secret)).status).toBe(401);
    const outsider = await scim("POST", "/Users", { ...newUser("x"), userName: "ceo@elsewhere.example", emails: [] });
    expect(outsider).toMatchObject({ status: 400, body: { scimType: "invalidValue" } });
    expect(await db.user.findUnique({ where: { email: "ceo@elsewhere.example" } })).toBeNull();
    expect((await scim("GET", `/Users?filter=${encodeURIComponent("name sw 1")}`)).body).toMatchObject({
      scimType: "invalidFilter",
    });
  });

  it("answers five concurrent creations of one person with one 201 and 409s, never a 500", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => scim("POST", "/Users", newUser("race"))));
    expect(results.map((result) => result.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await db.directoryUser.count({ where: { tenantId, userName: `race@${domain}` } })).toBe(1);
  });
});
