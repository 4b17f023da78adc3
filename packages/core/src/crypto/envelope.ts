import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SymmetricKey {
  /** Named in every ciphertext, so that keys can rotate. */
  id: string;
  /** 32 bytes of AES-256 key. */
  key: Buffer;
}

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

/**
 * AES-256-GCM with the key id and the associated data bound in:
 * `version (1) | id length (1) | id | iv (12) | tag (16) | ciphertext`.
 * The associated data (e.g. `ten_…:req_…:input`) is not stored; opening
 * needs the same, so a ciphertext cannot be moved to another tenant,
 * request or purpose.
 */
export function seal(key: SymmetricKey, plaintext: Uint8Array, associatedData: string): Buffer {
  const id = Buffer.from(key.id, "utf8");
  if (id.length === 0 || id.length > 255) throw new Error("key ids are 1-255 bytes");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION, id.length]), id, iv, cipher.getAuthTag(), body]);
}

/** The id of the key a ciphertext was sealed with. */
export function sealedKeyId(sealed: Uint8Array): string {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.length < 2 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
    throw new DecryptionError("not a sealed payload (unknown version or too short)");
  }
  const idLength = bytes[1] ?? 0;
  return bytes.subarray(2, 2 + idLength).toString("utf8");
}

export function open(key: SymmetricKey, sealed: Uint8Array, associatedData: string): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const id = sealedKeyId(bytes);
  if (id !== key.id) throw new DecryptionError(`sealed with key ${id}, not ${key.id}`);
  const start = 2 + Buffer.byteLength(id, "utf8");
  const iv = bytes.subarray(start, start + IV_BYTES);
  const tag = bytes.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key.key, iv);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(start + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError("the payload does not open with this key and context (wrong key, tenant or tampered)");
  }
}
