import baseX from "base-x";

const base62 = baseX("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

/** Base62 of `bytes`, left-padded with "0" to `length` so sizes are fixed. */
export function encodeBase62(bytes: Uint8Array, length: number): string {
  return base62.encode(bytes).padStart(length, "0");
}
