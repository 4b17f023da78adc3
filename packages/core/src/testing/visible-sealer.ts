import type { TokenSealer } from "../queue/token-stream.ts";

/** A "sealer" for tests of the stream's plumbing: base64 of `context=plaintext`, so a test reads what was bound to what. */
export const visibleSealer: TokenSealer = (plaintext, context) =>
  Buffer.from(`${context}=${Buffer.from(plaintext).toString("utf8")}`, "utf8");

/** What `visibleSealer` made of `plaintext` for `context`, as a stream entry holds it. */
export const visiblySealed = (plaintext: string, context: string) =>
  visibleSealer(Buffer.from(plaintext, "utf8"), context).toString("base64");
