import { DOMParser } from "@xmldom/xmldom";
import xpath from "xpath";
import { DomainError } from "../errors.ts";

export interface IdpMetadata {
  entityId: string;
  /** Where sign-in requests go (HTTP-Redirect binding). */
  ssoUrl: string;
  /** The IdP's signing certificates, PEM. */
  certificates: string[];
}

const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const select = xpath.useNamespaces({
  md: "urn:oasis:names:tc:SAML:2.0:metadata",
  ds: "http://www.w3.org/2000/09/xmldsig#",
});

const invalid = (why: string) => new DomainError("invalid_input", `The IdP metadata ${why}.`);

function pem(base64: string) {
  const body = base64.replace(/\s+/g, "");
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END CERTIFICATE-----`;
}

/** The entity id, sign-in URL and signing certificates of an IdP's SAML metadata (an EntityDescriptor). */
export function parseIdpMetadata(xml: string): IdpMetadata {
  let document: Document;
  try {
    const refuse = (message: unknown) => {
      throw new Error(String(message));
    };
    const parser = new DOMParser({ errorHandler: { error: refuse, fatalError: refuse } });
    document = parser.parseFromString(xml, "text/xml");
  } catch {
    throw invalid("is not XML");
  }
  const entity = select("//md:EntityDescriptor[md:IDPSSODescriptor]", document, true) as Element;
  if (!entity) throw invalid("has no IdP (an EntityDescriptor with an IDPSSODescriptor)");
  const entityId = entity.getAttribute("entityID");
  if (!entityId) throw invalid("has no entityID");
  const sso = select(
    `md:IDPSSODescriptor/md:SingleSignOnService[@Binding='${REDIRECT_BINDING}']/@Location`,
    entity,
    true,
  ) as Attr | undefined;
  if (!sso?.value) throw invalid("has no SingleSignOnService with the HTTP-Redirect binding");
  const keys = select(
    "md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']//ds:X509Certificate/text()",
    entity,
  ) as Node[];
  const certificates = keys.map((node) => pem(node.nodeValue ?? "")).filter((cert) => cert.length > 60);
  if (certificates.length === 0) throw invalid("has no signing certificate");
  return { entityId, ssoUrl: new URL(sso.value).toString(), certificates };
}
