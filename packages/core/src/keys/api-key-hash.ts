import { createHmac } from "node:crypto";

/** The stored form of a key: HMAC-SHA-256 under the server-side pepper, hex. */
export function hashApiKey(secret: string, pepper: string): string {
  return createHmac("sha256", pepper).update(secret).digest("hex");
}
