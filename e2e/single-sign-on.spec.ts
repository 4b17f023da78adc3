import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startOidcIdp } from "@aiaas/core/testing/sso";
import { markDomainVerified, signedInMinutesAgo } from "./database.ts";
import { signUp } from "./sign-up.ts";

const consoleUrl = process.env.CONSOLE_URL ?? "http://localhost:3000";
let idp: Awaited<ReturnType<typeof startOidcIdp>>;

test.beforeAll(async () => {
  idp = await startOidcIdp({
    clientId: "aiaas-console",
    clientSecret: "a secret from the IdP",
    redirectUri: `${consoleUrl}/api/auth/sso/oidc/callback`,
  });
});
test.afterAll(async () => {
  await idp.close();
});

test("an owner sets up their company's IdP; a person of that domain signs in there, is back in the console, and signs in there again to create a key", async ({
  page,
  browser,
}) => {
  const domain = `acme-${randomBytes(4).toString("hex")}.example`;
  const organisation = `Acme ${domain.slice(5, 9)}`;
  await signUp(page, organisation);
  await page.getByRole("link", { name: "Single sign-on" }).click();
  await expect(page.getByRole("heading", { name: "Single sign-on" })).toBeVisible();

  // The domain first: the console says which TXT record proves it.
  await page.getByLabel("Email domain").fill(domain.toUpperCase());
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByText(`_aiaas-challenge.${domain}`, { exact: true })).toBeVisible();
  await expect(page.getByText("Waiting for DNS")).toBeVisible();
  await markDomainVerified(domain);
  await page.reload();
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();

  // The IdP: the console reads its discovery document before saving.
  await page.getByLabel("Issuer URL").fill(idp.issuer);
  await page.getByLabel("Client ID").fill("aiaas-console");
  await page.getByLabel("Client secret").fill("a secret from the IdP");
  await page.getByLabel("Scopes").fill("openid email profile groups");
  await page.getByLabel("Groups and roles").fill("engineering = developer");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved. People of your verified domains can sign in with SSO.")).toBeVisible();

  // A person of the domain, in a browser of their own.
  idp.users.set("grace", {
    password: "idp password",
    email: `grace@${domain}`,
    name: "Grace Hopper",
    groups: ["engineering"],
  });
  const context = await browser.newContext();
  const person = await context.newPage();
  await person.goto("/sign-in");
  await person.getByRole("button", { name: "Use single sign-on" }).click();
  await person.getByLabel("Work email").fill(`grace@${domain}`);
  await person.getByRole("button", { name: "Continue" }).click();
  await expect(person.getByRole("heading", { name: "Sign in to the company IdP" })).toBeVisible();
  await person.getByLabel("Username").fill("grace");
  await person.getByLabel("Password").fill("idp password");
  await person.getByRole("button", { name: "Sign in" }).click();
  await expect(person).toHaveURL(/\/dashboard$/);
  await expect(person.getByRole("button", { name: "Switch organisation" })).toHaveText(organisation);
  // A developer: no owner's pages.
  await expect(person.getByRole("link", { name: "API keys" })).toBeVisible();
  await expect(person.getByRole("link", { name: "Single sign-on" })).toHaveCount(0);

  // A key needs a recent sign-in: she has no password here, so the IdP is asked to sign her in again.
  await signedInMinutesAgo(`grace@${domain}`, 16);
  await person.getByRole("link", { name: "API keys" }).click();
  await person.getByRole("button", { name: "Create key" }).click();
  const dialog = person.getByRole("dialog");
  await dialog.getByLabel("Name").fill("notebook");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog).toContainText("Sign in again at your identity provider to continue");
  await dialog.getByRole("button", { name: "Sign in again at your identity provider" }).click();
  await expect(person.getByRole("heading", { name: "Sign in to the company IdP" })).toBeVisible();
  await person.getByLabel("Username").fill("grace");
  await person.getByLabel("Password").fill("idp password");
  await person.getByRole("button", { name: "Sign in" }).click();
  await expect(person).toHaveURL(/\/keys$/);
  await person.getByRole("button", { name: "Create key" }).click();
  await person.getByRole("dialog").getByLabel("Name").fill("notebook");
  await person.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  await expect(person.getByRole("dialog").getByLabel("Secret key", { exact: true })).toHaveValue(/^aiaas_live_/);
  await context.close();
});

test("someone whose groups give them no role is sent back to sign-in, saying why", async ({ page, browser }) => {
  const domain = `nobody-${randomBytes(4).toString("hex")}.example`;
  await signUp(page, "Strict Co");
  await page.getByRole("link", { name: "Single sign-on" }).click();
  await page.getByLabel("Email domain").fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByText("Waiting for DNS")).toBeVisible();
  await markDomainVerified(domain);
  await page.getByLabel("Issuer URL").fill(idp.issuer);
  await page.getByLabel("Client ID").fill("aiaas-console");
  await page.getByLabel("Client secret").fill("a secret from the IdP");
  await page.getByLabel("Groups and roles").fill("admins = admin");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/^Saved\./)).toBeVisible();

  idp.users.set("sam", { password: "pw", email: `sam@${domain}`, name: "Sam", groups: ["sales"] });
  const context = await browser.newContext();
  const person = await context.newPage();
  await person.goto("/sign-in");
  await person.getByRole("button", { name: "Use single sign-on" }).click();
  await person.getByLabel("Work email").fill(`sam@${domain}`);
  await person.getByRole("button", { name: "Continue" }).click();
  await person.getByLabel("Username").fill("sam");
  await person.getByLabel("Password").fill("pw");
  await person.getByRole("button", { name: "Sign in" }).click();
  await expect(person).toHaveURL(/\/sign-in\?sso_error=no_role$/);
  await expect(person.getByText(/give you no role in this organisation/)).toBeVisible();
  await context.close();
});
