/**
 * Domain error codes with the HTTP status each maps to. tRPC and the public
 * API translate them in one place each.
 */
export const domainErrorStatus = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  budget_exhausted: 402,
  unavailable: 503,
} as const;

export type DomainErrorCode = keyof typeof domainErrorStatus;

export class DomainError extends Error {
  override name = "DomainError";
  readonly status: number;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.status = domainErrorStatus[code];
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);
