import type { FastifyRequest } from "fastify";
import type { ApiKeyScope, ApiKeyVerifier, KeyDenial, KeyRecord } from "@aiaas/core/server";
import { ApiError } from "../openai-error.ts";
import type { DenialAuditor } from "./denial-auditor.ts";

/** Who is calling: a verified key of an active tenant. */
export interface Caller {
  key: KeyRecord;
  tenantId: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

const missingKey = () =>
  new ApiError(
    401,
    "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY); keys are created in the console.",
    "missing_api_key",
  );

function denialError(reason: KeyDenial, key: KeyRecord | null): ApiError {
  switch (reason) {
    case "malformed":
    case "unknown":
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

/**
 * Verifies the request's key and that it may call this endpoint. Refusals
 * of a known key are audited; the key itself is never logged or echoed.
 */
export async function authenticate(
  request: FastifyRequest,
  scope: ApiKeyScope,
  verifier: ApiKeyVerifier,
  auditor: DenialAuditor,
): Promise<Caller> {
  const header = request.headers.authorization;
  if (!header) throw missingKey();
  const secret = BEARER.exec(header)?.[1];
  if (!secret) throw new ApiError(401, "The Authorization header must be 'Bearer YOUR_KEY'.", "invalid_api_key");
  const verification = await verifier.verify(secret);
  if (!verification.ok) {
    if (verification.key) await auditor.denied(request, verification.key, verification.reason);
    throw denialError(verification.reason, verification.key);
  }
  const { key } = verification;
  if (key.scopes.length > 0 && !key.scopes.includes(scope)) {
    await auditor.denied(request, key, "scope", { scope });
    throw new ApiError(
      403,
      `This API key lacks the scope '${scope}' needed for ${request.method} ${request.routeOptions.url ?? request.url}.`,
      "insufficient_scope",
    );
  }
  return { key, tenantId: key.tenantId };
}
