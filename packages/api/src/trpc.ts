import { initTRPC, TRPCError } from "@trpc/server";
import { DomainError, domainErrorStatus, type DomainErrorCode } from "@aiaas/core/server";
import type { ApiContext } from "./context.ts";

const trpcCodeByDomainCode = {
  invalid_input: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  budget_exhausted: "PAYMENT_REQUIRED",
  unavailable: "SERVICE_UNAVAILABLE",
} as const satisfies Record<DomainErrorCode, TRPCError["code"]>;

const t = initTRPC.context<ApiContext>().create({
  errorFormatter: ({ shape, error }) => {
    const cause = error.cause;
    const domain = cause instanceof DomainError ? { code: cause.code, status: domainErrorStatus[cause.code] } : null;
    return { ...shape, data: { ...shape.data, domain } };
  },
});

/** The one place domain errors become tRPC errors, keeping their message. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: trpcCodeByDomainCode[cause.code], message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapDomainErrors);
