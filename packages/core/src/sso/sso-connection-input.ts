import { z } from "zod";
import { ROLES_BY_RANK } from "./role-mapping.ts";

const role = z.enum(ROLES_BY_RANK as [string, ...string[]]) as z.ZodType<(typeof ROLES_BY_RANK)[number]>;
const claimName = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[\w.:/-]{1,200}$/, `The ${what} claim is a name such as "${what}" (letters, digits, . : / - _).`);

/** What every identity provider's settings share: how people's groups become roles, and whether SSO is enforced. */
const common = {
  emailClaim: claimName("email").default("email"),
  groupsClaim: claimName("groups").default("groups"),
  roleMapping: z
    .record(z.string().trim().min(1, "A group name cannot be empty.").max(200), role)
    .refine((mapping) => Object.keys(mapping).length <= 100, "Map at most 100 groups.")
    .default({}),
  defaultRole: role.nullable().default(null),
  enforced: z.boolean().default(false),
};

export const oidcConnectionInput = z.object({
  protocol: z.literal("oidc"),
  issuer: z.url({ message: "The issuer is a URL, e.g. https://login.example.com/realms/acme." }).max(500),
  clientId: z.string().trim().min(1, "Enter the client id the IdP gave you.").max(300),
  /** Left out when changing other settings: the sealed secret stays. */
  clientSecret: z.string().min(1).max(1000).optional(),
  scopes: z
    .string()
    .trim()
    .regex(/^[\w:./-]+( [\w:./-]+)*$/, "Scopes are names separated by spaces.")
    .refine((scopes) => scopes.split(" ").includes("openid"), "The scopes must include openid.")
    .default("openid email profile"),
  ...common,
});

export const samlConnectionInput = z.object({
  protocol: z.literal("saml"),
  /** The IdP's metadata, as XML or where to fetch it; the entity id, sign-in URL and certificates come from it. */
  metadataXml: z.string().max(200_000).optional(),
  metadataUrl: z.url().max(500).optional(),
  ...common,
});

export const ssoConnectionInput = z.discriminatedUnion("protocol", [oidcConnectionInput, samlConnectionInput]);
export type SsoConnectionInput = z.infer<typeof ssoConnectionInput>;
