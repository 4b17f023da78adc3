import type { SymmetricKey } from "./envelope.ts";

export interface MasterKeys {
  /** Wraps new data keys. */
  current: SymmetricKey;
  byId: ReadonlyMap<string, SymmetricKey>;
}

const ENTRY = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9+/=_-]+)$/;

/**
 * `MASTER_KEYS="mk2:<base64 32 bytes>,mk1:<…>"`: the first wraps new data
 * keys, the others still unwrap the data keys wrapped before a rotation.
 */
export function parseMasterKeys(value: string): MasterKeys {
  const keys: SymmetricKey[] = [];
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = ENTRY.exec(entry);
    if (!match) throw new Error("expected id:base64key entries separated by commas");
    const [, id = "", encoded = ""] = match;
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32) throw new Error(`master key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    if (keys.some((k) => k.id === id)) throw new Error(`master key ${id} is given twice`);
    keys.push({ id, key });
  }
  const [current] = keys;
  if (!current) throw new Error("at least one master key is needed");
  return { current, byId: new Map(keys.map((key) => [key.id, key])) };
}
