import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from "@node-saml/node-saml";
import { DOMParser } from "@xmldom/xmldom";
import xpath from "xpath";
import type { Db, SsoConnection } from "@aiaas/db";
import { hasPendingSignIn, PENDING_SIGN_IN_MINUTES, savePendingSignIn, takePendingSignIn } from "./pending-sign-ins.ts";
import type { SsoIdentity } from "./provision-sso-member.ts";
import { SsoRefusal } from "./sso-refusal.ts";
import { groupsOf } from "./role-mapping.ts";
import type { PendingReauthentication } from "./sso-reauthentication.ts";

/** How far the IdP's clock may be from ours: assertions outside their window by more are refused. */
export const SAML_CLOCK_SKEW_MS = 60_000;

/** What we are to a tenant's IdP: our entity id (the metadata's address) and where assertions are posted. */
export const samlServiceProvider = (baseUrl: string, connectionId: string) => ({
  entityId: `${baseUrl}/api/auth/sso/saml/metadata/${connectionId}`,
  acsUrl: `${baseUrl}/api/auth/sso/saml/acs/${connectionId}`,
});

/**
 * node-saml's request-id store, on our pending sign-ins (Postgres): an
 * AuthnRequest id is saved when the sign-in starts, and removed, once, when a
 * response to it arrives. `taken` says whether this response removed it: a
 * second response to the same request (a replay) finds it gone.
 */
class PendingRequests implements CacheProvider {
  /** The request this response answered, once it removed it (null: none, or answered before). */
  taken: string | null = null;
  /** The re-authentication the answered request was started for, if it was. */
  takenReauth: PendingReauthentication | undefined;
  /** The request a sign-in just started. */
  saved: string | null = null;
  constructor(
    private readonly db: Db,
    private readonly connectionId: string,
    private readonly reauth?: PendingReauthentication,
  ) {}
  async saveAsync(key: string, value: string) {
    await savePendingSignIn(this.db, `saml:${key}`, { connectionId: this.connectionId, reauth: this.reauth });
    this.saved = key;
    return { value, createdAt: Date.now() };
  }
  async getAsync(key: string) {
    return (await hasPendingSignIn(this.db, `saml:${key}`)) ? new Date().toISOString() : null;
  }
  async removeAsync(key: string | null) {
    if (!key) return null;
    const pending = await takePendingSignIn<{ connectionId: string; reauth?: PendingReauthentication }>(
      this.db,
      `saml:${key}`,
    );
    if (pending?.connectionId === this.connectionId) {
      this.taken = key;
      this.takenReauth = pending.reauth;
    }
    return pending ? key : null;
  }
}

function serviceProviderFor(connection: SsoConnection, db: Db, baseUrl: string, reauth?: PendingReauthentication) {
  const sp = samlServiceProvider(baseUrl, connection.id);
  const requests = new PendingRequests(db, connection.id, reauth);
  const saml = new SAML({
    callbackUrl: sp.acsUrl,
    entryPoint: connection.ssoUrl ?? "",
    issuer: sp.entityId,
    audience: sp.entityId,
    idpIssuer: connection.issuer,
    idpCert: (connection.idpCertificates ?? "").split(/(?<=-----END CERTIFICATE-----)\s*/).filter(Boolean),
    // Both the response and its assertion must carry a valid signature of the IdP's.
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: PENDING_SIGN_IN_MINUTES * 60_000,
    cacheProvider: requests,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    // A re-authentication: the IdP must make the person sign in again, whatever session it holds.
    forceAuthn: Boolean(reauth),
  });
  return { saml, requests, sp };
}

/** Our SP metadata for the tenant's IdP (entity id, ACS URL). */
export function samlMetadata(connection: SsoConnection, db: Db, baseUrl: string) {
  return serviceProviderFor(connection, db, baseUrl).saml.generateServiceProviderMetadata(null, null);
}

/**
 * The IdP's sign-in URL with a new AuthnRequest (its id kept, to be answered
 * once), and that id. A re-authentication's request has ForceAuthn.
 */
export async function startSamlSignIn(
  connection: SsoConnection,
  db: Db,
  baseUrl: string,
  reauth?: PendingReauthentication,
) {
  const { saml, requests } = serviceProviderFor(connection, db, baseUrl, reauth);
  const url = new URL(await saml.getAuthorizeUrlAsync("", undefined, {}));
  return { url, requestId: requests.saved ?? "" };
}

const select = xpath.useNamespaces({
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
});

const parse = (xml: string | undefined) => (xml ? new DOMParser().parseFromString(xml, "text/xml") : null);

/** The addresses a verified response and assertion say they were sent to (Destination, Recipient). */
function destinationsOf(profile: Profile): string[] {
  const response = parse(profile.getSamlResponseXml?.());
  const assertion = parse(profile.getAssertionXml?.());
  const attributes = [
    ...(response ? (select("/samlp:Response/@Destination", response) as Attr[]) : []),
    ...(assertion ? (select("//saml:SubjectConfirmationData/@Recipient", assertion) as Attr[]) : []),
  ];
  return attributes.map((attribute) => attribute.value);
}

/** When the verified assertion says the IdP authenticated the person (the earliest AuthnInstant), if it says. */
function authnInstantOf(profile: Profile): number | undefined {
  const assertion = parse(profile.getAssertionXml?.());
  const instants = assertion ? (select("//saml:AuthnStatement/@AuthnInstant", assertion) as Attr[]) : [];
  const times = instants.map((instant) => Date.parse(instant.value)).filter((time) => !Number.isNaN(time));
  return times.length ? Math.min(...times) : undefined;
}

/**
 * The person a SAML response signs in, after node-saml has checked it: the
 * response's and the assertion's signatures against the IdP's certificates,
 * issuer, audience (our entity id), NotBefore/NotOnOrAfter within a minute's
 * skew, and InResponseTo (a request of ours, answered once). Here: it was sent
 * to our ACS URL (Destination, Recipient), the request it answers was not
 * answered before, and (over https) it was started by the posting browser.
 * Returns the person (with the assertion's AuthnInstant), and the
 * re-authentication the request was started for, if any.
 */
export async function finishSamlSignIn(
  connection: SsoConnection,
  db: Db,
  baseUrl: string,
  samlResponse: string,
  /** The request the posting browser started (its cookie), where it can carry one (https); undefined: not checked. */
  browserRequestId?: string | null,
): Promise<{ identity: SsoIdentity; reauth?: PendingReauthentication }> {
  const { saml, requests, sp } = serviceProviderFor(connection, db, baseUrl);
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse }).catch((error: unknown) => {
    // Not a request of ours, or one answered before (a replay).
    if (/InResponseTo/.test((error as Error).message)) throw new SsoRefusal("expired", (error as Error).message);
    throw error;
  });
  if (!profile) throw new SsoRefusal("invalid_response", "The IdP sent a sign-out, not a sign-in.");
  if (!requests.taken) throw new SsoRefusal("expired", "This response answers a sign-in that was already finished.");
  if (browserRequestId !== undefined && browserRequestId !== requests.taken) {
    throw new SsoRefusal("expired", "This response answers a sign-in this browser did not start.");
  }
  const destinations = destinationsOf(profile);
  if (destinations.length === 0 || destinations.some((destination) => destination !== sp.acsUrl)) {
    throw new SsoRefusal("invalid_response", `The response was meant for ${destinations.join(", ") || "no one"}.`);
  }
  const email = profile[connection.emailClaim] ?? profile.email ?? profile.mail ?? profile.nameID;
  if (typeof email !== "string" || !email.includes("@")) {
    throw new SsoRefusal("no_email", `The IdP sent no email address (the ${connection.emailClaim} attribute).`);
  }
  const reauth = requests.takenReauth;
  const name = typeof profile.displayName === "string" ? profile.displayName : "";
  const identity: SsoIdentity = {
    subject: profile.nameID,
    email,
    name,
    groups: groupsOf(profile[connection.groupsClaim]),
    authenticatedAt: authnInstantOf(profile),
  };
  return { identity, ...(reauth && { reauth }) };
}
