/** Why `models pull` stopped, in one line a person can act on. */
export class ModelPullError extends Error {
  override name = "ModelPullError";
  constructor(
    message: string,
    /** The command was used wrongly (exit code 2), rather than failing (1). */
    readonly usage = false,
  ) {
    super(message);
  }
}

const NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** A fetch failure as a sentence: which host, what happened, what to do. */
export function unreachable(endpoint: string, error: unknown): ModelPullError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? ((error as Error).name === "TimeoutError" ? "ETIMEDOUT" : undefined);
  const host = new URL(endpoint).host;
  const what =
    code && NETWORK_CODES.has(code)
      ? `cannot reach ${host} (${code})`
      : `cannot fetch from ${host} (${cause?.message ?? (error as Error).message})`;
  return new ModelPullError(
    `${what}. This machine may have no route to the model hub: set HF_ENDPOINT to a mirror it can reach, or pull from a folder on this machine (models pull ./folder).`,
  );
}
