/** A message fit to show a person, from whatever a call threw. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && "message" in error && typeof error.message === "string" && error.message) {
    return error.message;
  }
  return "Something went wrong. Try again.";
}
