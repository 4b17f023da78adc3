/** Who is making a change; recorded on every audit event. */
export type Actor =
  | { type: "user"; id: string | null; label: string }
  | { type: "api_key"; id: string; label: string }
  | { type: "operator"; id: string | null; label: string }
  | { type: "system"; id: null; label: string };

/** The request context the server functions receive besides the transaction. */
export interface ChangeContext {
  actor: Actor;
  ip?: string | null;
  userAgent?: string | null;
  /** x-request-id of the HTTP request making the change. */
  requestId?: string | null;
}

export const systemActor = (label: string): Actor => ({ type: "system", id: null, label });
