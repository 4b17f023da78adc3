import type { Redis } from "ioredis";
import { Prisma, type Db, type Tx } from "@aiaas/db";
import { invalidateAuthCache } from "../keys/auth-cache.ts";
import { ScimError, scimErrorBody } from "./scim-errors.ts";
import {
  createScimGroup,
  deleteScimGroup,
  getScimGroup,
  listScimGroups,
  patchScimGroup,
  replaceScimGroup,
} from "./scim-groups.ts";
import { listResponse } from "./scim-resources.ts";
import { scimTokenOf } from "./scim-tokens.ts";
import {
  createScimUser,
  deleteScimUser,
  getScimUser,
  listScimUsers,
  patchScimUser,
  replaceScimUser,
  type ScimScope,
} from "./scim-users.ts";

export interface ScimOptions {
  /** The platform role's client: every statement names the token's tenant. */
  db: Db;
  redis: Redis;
  /** API_KEY_PEPPER: tokens are hashed like API keys. */
  pepper: string;
  /** Where the console is served: resources' locations are under it. */
  baseUrl: string;
}

export const SCIM_PATH = "/api/scim/v2";
const SCIM_JSON = "application/scim+json";

const serviceProviderConfig = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [
    {
      type: "oauthbearertoken",
      name: "Bearer token",
      description: "A SCIM token made in the console (Settings → Single sign-on).",
    },
  ],
};

function json(body: unknown, status = 200) {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "content-type": SCIM_JSON } });
}

/** `attr eq "value"`, the one filter IdPs send. */
function filterOf(raw: string | null) {
  if (!raw) return null;
  const match = /^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(raw);
  if (!match) throw new ScimError(400, `Only "attribute eq \\"value\\"" filters are supported.`, "invalidFilter");
  return { attribute: (match[1] ?? "").toLowerCase(), value: (match[2] ?? "").replace(/\\(.)/g, "$1") };
}

function pageOf(url: URL) {
  const startIndex = Math.max(1, Number.parseInt(url.searchParams.get("startIndex") ?? "1", 10) || 1);
  const count = Math.min(200, Math.max(0, Number.parseInt(url.searchParams.get("count") ?? "100", 10) || 0));
  return { startIndex, page: { skip: startIndex - 1, take: count } };
}

async function bodyOf(request: Request) {
  try {
    return (await request.json()) as unknown;
  } catch {
    throw new ScimError(400, "The body is not JSON.", "invalidSyntax");
  }
}

type Outcome = { resource: unknown; revoked: string[] };

/**
 * SCIM 2.0 (RFC 7643/7644) for a tenant's IdP: Users and Groups, under a
 * bearer token of the tenant's. Each change runs in one transaction with its
 * audit events; revoked playground keys are announced to the gateways once it
 * commits. Errors answer in SCIM's shape.
 */
export async function handleScimRequest(request: Request, options: ScimOptions): Promise<Response> {
  try {
    const token = await scimTokenOf(options.db, options.pepper, request.headers.get("authorization"));
    if (!token) throw new ScimError(401, "A valid SCIM bearer token is required.");
    const url = new URL(request.url);
    const [resource = "", id, ...rest] = url.pathname
      .slice(url.pathname.indexOf(SCIM_PATH) + SCIM_PATH.length)
      .split("/")
      .filter(Boolean);
    if (rest.length > 0) throw new ScimError(404, "No such resource.");
    const scope: ScimScope = {
      tenantId: token.tenantId,
      base: `${options.baseUrl}${SCIM_PATH}`,
      ctx: { actor: { type: "system", id: null, label: token.label } },
    };
    const method = request.method;
    if (resource === "ServiceProviderConfig" && method === "GET") return json(serviceProviderConfig);
    const users = resource === "Users";
    if (!users && resource !== "Groups") throw new ScimError(404, `No resource type ${resource}.`);
    const inTransaction = <T>(work: (tx: Tx) => Promise<T>) => options.db.$transaction(work, { timeout: 15_000 });
    const announce = async (revoked: string[]) => {
      await Promise.all(revoked.map((keyHash) => invalidateAuthCache(options.redis, { keyHash, revoked: true })));
    };
    if (!id && method === "GET") {
      const { startIndex, page } = pageOf(url);
      const filter = filterOf(url.searchParams.get("filter"));
      const list = await inTransaction<{ resources: unknown[]; total: number }>((tx) =>
        users ? listScimUsers(tx, scope, filter, page) : listScimGroups(tx, scope, filter, page),
      );
      return json(listResponse(list.resources, list.total, startIndex));
    }
    if (!id && method === "POST") {
      const body = await bodyOf(request);
      const made = await inTransaction<Outcome>((tx) =>
        users ? createScimUser(tx, scope, body) : createScimGroup(tx, scope, body),
      );
      await announce(made.revoked);
      return json(made.resource, 201);
    }
    if (!id) throw new ScimError(405, `${method} is not allowed on ${resource}.`);
    if (method === "GET")
      return json(
        await inTransaction<unknown>((tx) => (users ? getScimUser(tx, scope, id) : getScimGroup(tx, scope, id))),
      );
    if (method === "DELETE") {
      await announce(
        await inTransaction((tx) => (users ? deleteScimUser(tx, scope, id) : deleteScimGroup(tx, scope, id))),
      );
      return json(null, 204);
    }
    if (method === "PUT" || method === "PATCH") {
      const body = await bodyOf(request);
      const changed = await inTransaction<Outcome>((tx) => {
        if (method === "PUT")
          return users ? replaceScimUser(tx, scope, id, body) : replaceScimGroup(tx, scope, id, body);
        return users ? patchScimUser(tx, scope, id, body) : patchScimGroup(tx, scope, id, body);
      });
      await announce(changed.revoked);
      return json(changed.resource);
    }
    throw new ScimError(405, `${method} is not allowed here.`);
  } catch (error) {
    if (error instanceof ScimError) return json(scimErrorBody(error), error.status);
    // Two requests creating the same name at once: the loser is told, as the checks before it would have.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return json(
        scimErrorBody(new ScimError(409, "That name is taken (another request made it).", "uniqueness")),
        409,
      );
    }
    throw error;
  }
}
