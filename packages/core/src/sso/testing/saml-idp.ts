import { createServer, type Server } from "node:http";
import { inflateRawSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import * as samlify from "samlify";
import { generate } from "selfsigned";
import { answer, escapeMarkup, signInPage } from "./idp-pages.ts";
import type { IdpUser } from "./oidc-idp.ts";

/** How the IdP's next response misbehaves, for refusal tests. */
export type SamlMischief =
  | null
  /** Edited after signing (the signature no longer matches). */
  | { kind: "tamper" }
  /** Signed, but for another audience, recipient, or out of its time window. */
  | { kind: "audience"; audience: string }
  | { kind: "recipient"; recipient: string }
  | { kind: "expired" }
  /** Signed by a key the SP does not trust. */
  | { kind: "foreign-key" }
  /** Says the person was authenticated an hour ago (an IdP that ignored ForceAuthn, answering from its session). */
  | { kind: "stale-authn" };

interface ResponseFields {
  id: string;
  inResponseTo: string;
  destination: string;
  audience: string;
  issuer: string;
  user: IdpUser & { login: string };
  notBefore: Date;
  notOnOrAfter: Date;
  authnInstant: Date;
}

/** A SAML 2.0 Response with one assertion: subject, conditions, authn statement, email, name and groups. */
function responseXml(f: ResponseFields) {
  const at = new Date().toISOString();
  const [from, until] = [f.notBefore.toISOString(), f.notOnOrAfter.toISOString()];
  const groups = f.user.groups
    .map((group) => `<saml:AttributeValue>${escapeMarkup(group)}</saml:AttributeValue>`)
    .join("");
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${f.id}" Version="2.0" IssueInstant="${at}" Destination="${escapeMarkup(f.destination)}" InResponseTo="${escapeMarkup(f.inResponseTo)}">` +
    `<saml:Issuer>${escapeMarkup(f.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion ID="${f.id}-a" Version="2.0" IssueInstant="${at}">` +
    `<saml:Issuer>${escapeMarkup(f.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeMarkup(f.user.login)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${escapeMarkup(f.destination)}" InResponseTo="${escapeMarkup(f.inResponseTo)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${from}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escapeMarkup(f.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${f.authnInstant.toISOString()}" SessionIndex="${f.id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>` +
    `<saml:Attribute Name="email"><saml:AttributeValue>${escapeMarkup(f.user.email)}</saml:AttributeValue></saml:Attribute>` +
    `<saml:Attribute Name="displayName"><saml:AttributeValue>${escapeMarkup(f.user.name)}</saml:AttributeValue></saml:Attribute>` +
    `<saml:Attribute Name="groups">${groups}</saml:Attribute>` +
    `</saml:AttributeStatement></saml:Assertion></samlp:Response>`
  );
}

async function signingKey() {
  const pems = await generate([{ name: "commonName", value: "test-idp" }], { keySize: 2048 });
  return { privateKey: pems.private, cert: pems.cert };
}

/**
 * A SAML 2.0 IdP on loopback: samlify signs its responses (response and
 * assertion, RSA-SHA256) with a self-signed certificate. It takes the SP's
 * AuthnRequest by HTTP-Redirect, shows a sign-in page, and posts the
 * response back with an auto-submitting form, as IdPs do.
 */
export async function startSamlIdp() {
  const users = new Map<string, IdpUser>();
  const key = await signingKey();
  const foreign = await signingKey();
  let mischief: SamlMischief = null;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/metadata`;
  const identityProvider = (signing: { privateKey: string; cert: string }) =>
    samlify.IdentityProvider({
      entityID: entityId,
      privateKey: signing.privateKey,
      signingCert: signing.cert,
      requestSignatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
      singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${base}/sso` }],
    });
  const idp = identityProvider(key);
  /** Pending AuthnRequests by the id of our sign-in page. */
  const requests = new Map<string, { id: string; acsUrl: string; spEntityId: string }>();
  /** Whether the last AuthnRequest asked for a fresh sign-in (ForceAuthn). */
  let forceAuthn = false;

  async function signedResponse(request: { id: string; acsUrl: string; spEntityId: string }, login: string) {
    const user = users.get(login);
    if (!user) throw new Error(`no such user ${login}`);
    const now = Date.now();
    const fields: ResponseFields = {
      id: `_${crypto.randomUUID()}`,
      inResponseTo: request.id,
      destination: mischief?.kind === "recipient" ? mischief.recipient : request.acsUrl,
      audience: mischief?.kind === "audience" ? mischief.audience : request.spEntityId,
      issuer: entityId,
      user: { ...user, login },
      notBefore: new Date(now - (mischief?.kind === "expired" ? 3_600_000 : 60_000)),
      notOnOrAfter: new Date(now + (mischief?.kind === "expired" ? -1_800_000 : 300_000)),
      authnInstant: new Date(now - (mischief?.kind === "stale-authn" ? 3_600_000 : 0)),
    };
    const sp = samlify.ServiceProvider({
      entityID: request.spEntityId,
      wantAssertionsSigned: true,
      wantMessageSigned: true,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: request.acsUrl }],
    });
    const signer = mischief?.kind === "foreign-key" ? identityProvider(foreign) : idp;
    const { context } = (await signer.createLoginResponse(
      sp,
      { extract: { request: { id: request.id } } },
      "post",
      {},
      () => ({
        id: fields.id,
        context: responseXml(fields),
      }),
    )) as { context: string };
    if (mischief?.kind !== "tamper") return context;
    // One more group after signing: what someone between the IdP and us would like to add.
    const xml = Buffer.from(context, "base64").toString();
    const tampered = xml.replace(
      '<saml:Attribute Name="groups">',
      '<saml:Attribute Name="groups"><saml:AttributeValue>it-admins</saml:AttributeValue>',
    );
    return Buffer.from(tampered).toString("base64");
  }

  server.on("request", (request, response) => {
    answer(response, async () => {
      const url = new URL(request.url ?? "/", base);
      if (url.pathname === "/metadata") {
        response.setHeader("content-type", "application/xml");
        response.end(idp.getMetadata());
        return;
      }
      if (url.pathname === "/sso" && request.method === "GET") {
        const xml = inflateRawSync(Buffer.from(url.searchParams.get("SAMLRequest") ?? "", "base64")).toString();
        const id = /\sID="([^"]+)"/.exec(xml)?.[1] ?? "";
        const acsUrl = /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1] ?? "";
        const spEntityId = /<saml:Issuer[^>]*>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1] ?? "";
        forceAuthn = /\sForceAuthn="true"/.test(xml);
        const page = crypto.randomUUID();
        requests.set(page, { id, acsUrl, spEntityId });
        signInPage(response, `/login/${page}`);
        return;
      }
      const login = /^\/login\/([\w-]+)$/.exec(url.pathname);
      const pending = login ? requests.get(login[1] ?? "") : undefined;
      if (pending && request.method === "POST") {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const name = form.get("login") ?? "";
        if (users.get(name)?.password !== form.get("password")) {
          response.statusCode = 401;
          response.end("wrong username or password");
          return;
        }
        const samlResponse = await signedResponse(pending, name);
        response.setHeader("content-type", "text/html");
        response.end(
          `<!doctype html><title>Signing you in</title><body onload="document.forms[0].submit()">` +
            `<form method="post" action="${escapeMarkup(pending.acsUrl)}">` +
            `<input type="hidden" name="SAMLResponse" value="${samlResponse}">` +
            `<noscript><button type="submit">Continue</button></noscript></form></body>`,
        );
        return;
      }
      response.statusCode = 404;
      response.end();
    });
  });

  return {
    entityId,
    users,
    /** The IdP's metadata, as an owner pastes it into the console. */
    metadata: () => idp.getMetadata(),
    /** Whether the last AuthnRequest asked for a fresh sign-in (ForceAuthn="true"). */
    lastForcedAuthn: () => forceAuthn,
    misbehave(next: SamlMischief) {
      mischief = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
