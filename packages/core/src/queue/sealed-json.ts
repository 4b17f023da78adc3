import type { TenantKeyring } from "../crypto/tenant-keyring.ts";

/** JSON sealed with the tenant's data key, as base64 for job data and results. */
export async function sealJson(keyring: TenantKeyring, tenantId: string, context: string, value: unknown) {
  const sealed = await keyring.seal(tenantId, Buffer.from(JSON.stringify(value), "utf8"), context);
  return sealed.toString("base64");
}

export async function openJson(keyring: TenantKeyring, tenantId: string, context: string, sealed: string) {
  const plaintext = await keyring.open(tenantId, Buffer.from(sealed, "base64"), context);
  return JSON.parse(plaintext.toString("utf8")) as unknown;
}

/** Float32 vectors travel as base64 of their little-endian bytes (OpenAI's encoding_format=base64). */
export const float32ToBase64 = (vector: Float32Array) =>
  Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");

export function base64ToFloat32(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, "base64");
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
