import type { FastifyRequest } from "fastify";
import type { Caller } from "../auth/authenticate.ts";
import type { ModelDirectory } from "../directory/model-directory.ts";
import { ApiError } from "../openai-error.ts";
import type { Admission } from "../pipeline/admission.ts";
import { idempotencyKeyOf } from "../pipeline/idempotency.ts";
import type { InferenceHttp } from "../pipeline/inference-http.ts";

/** What every /v1 route uses. */
export interface RouteContext {
  directory: ModelDirectory;
  inference: InferenceHttp;
  /**
   * Runs what checks a call before admission (its body, model, image,
   * Idempotency-Key). A refusal there still counts against the caller's
   * request limits: a flood of bad requests is held to them like any other.
   */
  validate<T>(request: FastifyRequest, caller: Caller, check: () => T | Promise<T>): Promise<T>;
}

export function routeContext(directory: ModelDirectory, admission: Admission, inference: InferenceHttp): RouteContext {
  return {
    directory,
    inference,
    async validate(request, caller, check) {
      try {
        idempotencyKeyOf(request.headers["idempotency-key"]);
        return await check();
      } catch (error) {
        if (error instanceof ApiError && error.status >= 400 && error.status < 500)
          await admission.countRefusal(caller, request.id);
        throw error;
      }
    },
  };
}
