/** A message fit to show a person, from whatever a call threw. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && "message" in error && typeof error.message === "string" && error.message) {
    return error.message;
  }
  return "Something went wrong. Try again.";
}

/** better-auth's validation messages without their field prefix ("[body.email] Invalid email address"). */
export function authErrorMessage(failure: { message?: string | undefined }, fallback: string): string {
  return failure.message?.replace(/^\[body\.\w+\]\s*/, "") || fallback;
}
