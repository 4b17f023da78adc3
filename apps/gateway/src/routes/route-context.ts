import type { FastifyRequest } from "fastify";
import type { ApiKeyScope, ApiKeyVerifier } from "@aiaas/core/server";
import { authenticate, type Caller } from "../auth/authenticate.ts";
import type { DenialAuditor } from "../auth/denial-auditor.ts";
import type { ModelDirectory } from "../directory/model-directory.ts";
import type { InferenceHttp } from "../pipeline/inference-http.ts";

/** What every /v1 route uses. */
export interface RouteContext {
  directory: ModelDirectory;
  inference: InferenceHttp;
  authenticate(request: FastifyRequest, scope: ApiKeyScope): Promise<Caller>;
}

export function routeContext(
  verifier: ApiKeyVerifier,
  auditor: DenialAuditor,
  directory: ModelDirectory,
  inference: InferenceHttp,
): RouteContext {
  return {
    directory,
    inference,
    authenticate: (request, scope) => authenticate(request, scope, verifier, auditor),
  };
}
