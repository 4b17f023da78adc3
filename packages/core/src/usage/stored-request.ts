import type { TenantKeyring } from "../crypto/tenant-keyring.ts";

/** What of a request the `requests` table may keep, sealed, while the tenant's retention allows. */
export type StoredPart = "prompt" | "response";

/** Associated data for a stored part: bound to the tenant (by the keyring), the request and the part. */
export const storedPartContext = (requestId: string, part: StoredPart) => `${requestId}:stored-${part}`;

/** Seals a request body or response body (JSON) for `requests.prompt_ciphertext` / `response_ciphertext`. */
export async function sealStoredPart(
  keyring: TenantKeyring,
  tenantId: string,
  requestId: string,
  part: StoredPart,
  value: unknown,
): Promise<Uint8Array<ArrayBuffer>> {
  const sealed = await keyring.seal(
    tenantId,
    Buffer.from(JSON.stringify(value), "utf8"),
    storedPartContext(requestId, part),
  );
  return new Uint8Array(sealed);
}

/** The stored JSON; throws DecryptionError for another tenant's row or a shredded key. */
export async function openStoredPart(
  keyring: TenantKeyring,
  tenantId: string,
  requestId: string,
  part: StoredPart,
  sealed: Uint8Array,
): Promise<unknown> {
  const plaintext = await keyring.open(tenantId, sealed, storedPartContext(requestId, part));
  return JSON.parse(plaintext.toString("utf8")) as unknown;
}
