import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiKeyScope } from "@aiaas/core/keys";
import type { ApiKeyVerifier, KeyDenial, KeyRecord } from "@aiaas/core/keys";
import type { FailureReporter } from "@aiaas/core/platform";
import { bodyTooLarge } from "../fastify-refusals.ts";
import { ApiError } from "../openai-error.ts";
import type { DenialAuditor } from "./denial-auditor.ts";
import type { KeyLookupLimit } from "./key-lookup-limit.ts";

/** Who is calling: a verified key of an active tenant. */
export interface Caller {
  key: KeyRecord;
  tenantId: string;
  /** The key's hash: its requests' jobs carry it, so that a worker refuses one revoked while it waited. */
  keyHash?: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The key scope a /v1 route needs: its caller is authenticated before the body is read. */
    scope?: ApiKeyScope;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

const missingKey = () =>
  new ApiError(
    401,
    "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY); keys are created in the console.",
    "missing_api_key",
  );

export function denialError(reason: KeyDenial, key: KeyRecord | null): ApiError {
  switch (reason) {
    case "malformed":
    case "unknown":
    case "tampered":
      return new ApiError(
        401,
        "Incorrect API key provided. You can find your API keys in the console.",
        "invalid_api_key",
      );
    case "revoked":
      return new ApiError(401, "This API key has been revoked. Create a new key in the console.", "revoked_api_key");
    case "expired": {
      const rolled = key?.graceEndsAt != null && (key.expiresAt == null || key.graceEndsAt <= key.expiresAt);
      const at = new Date((rolled ? key.graceEndsAt : key?.expiresAt) ?? Date.now()).toISOString();
      return new ApiError(
        401,
        rolled
          ? `This API key was rolled and its grace period ended at ${at}. Use its replacement.`
          : `This API key expired at ${at}. Create a new key in the console.`,
        "expired_api_key",
      );
    }
    case "tenant_suspended":
      return new ApiError(
        403,
        "This organization is suspended, so its API keys are refused. Contact support or an administrator.",
        "organization_suspended",
      );
  }
}

export interface RequestGuard {
  verifier: ApiKeyVerifier;
  auditor: DenialAuditor;
  lookups: KeyLookupLimit;
  failures: FailureReporter;
  bodyLimit: number;
}

/**
 * Every route with a `scope` is guarded in `onRequest`, before a byte of its
 * body is read: the key (a bad one is answered 401 at once, whatever the
 * body's declared size), its Postgres lookups per client address, its scope,
 * then the declared Content-Length. The caller is left on `request.caller`.
 */
export function registerRequestGuard(app: FastifyInstance, guard: RequestGuard) {
  app.addHook("onRequest", async (request) => {
    const scope = request.routeOptions.config.scope;
    if (!scope) return;
    request.caller = await authenticate(request, scope, guard);
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > guard.bodyLimit) {
      const refusal = bodyTooLarge(guard.bodyLimit);
      throw new ApiError(refusal.status, refusal.message, refusal.code);
    }
  });
}

/** The caller the guard authenticated for this request's route. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller)
    throw new Error(`${request.routeOptions.url ?? request.url} has no scope: nothing authenticated it`);
  return request.caller;
}

/**
 * Verifies the request's key and that it may call this endpoint. Refusals
 * of a known key are audited; the key itself is never logged or echoed.
 */
async function authenticate(request: FastifyRequest, scope: ApiKeyScope, guard: RequestGuard): Promise<Caller> {
  const header = request.headers.authorization;
  if (!header) throw missingKey();
  const secret = BEARER.exec(header)?.[1];
  if (!secret) throw new ApiError(401, "The Authorization header must be 'Bearer YOUR_KEY'.", "invalid_api_key");
  const verification = await guard.verifier.verify(secret, Date.now(), {
    beforeDatabase: () => guard.lookups.admit(request.ip, request.id),
  });
  if (!verification.ok) {
    if (verification.reason === "tampered") {
      guard.failures.report("auth_cache_tampered", "a cached key record failed its seal: refused", {
        requestId: request.id,
        ...(verification.key && { tenantId: verification.key.tenantId, keyId: verification.key.id }),
      });
    } else if (verification.key) {
      await guard.auditor.denied(request, verification.key, verification.reason);
    }
    throw denialError(verification.reason, verification.key);
  }
  const { key, keyHash } = verification;
  if (key.scopes.length > 0 && !key.scopes.includes(scope)) {
    await guard.auditor.denied(request, key, "scope", { scope });
    throw new ApiError(
      403,
      `This API key lacks the scope '${scope}' needed for ${request.method} ${request.routeOptions.url ?? request.url}.`,
      "insufficient_scope",
    );
  }
  return { key, tenantId: key.tenantId, keyHash };
}
