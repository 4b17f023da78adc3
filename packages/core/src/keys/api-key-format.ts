import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { encodeBase62 } from "../base62.ts";

/**
 * Public API key format: `aiaas_<env>_<body><check>`.
 * - body: 32 random bytes (256 bits) in base62, 43 characters;
 * - check: CRC-32 of everything before it, base62, 6 characters,
 *   so typos and truncations are rejected without any I/O.
 */
export const keyEnvironments = ["live", "test"] as const;
export type KeyEnvironmentName = (typeof keyEnvironments)[number];

const PLATFORM_PREFIX = "aiaas";
const BODY_LENGTH = 43;
const CHECK_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${PLATFORM_PREFIX}_(live|test)_([0-9A-Za-z]{${BODY_LENGTH + CHECK_LENGTH}})$`);
/** Characters shown as the key's display prefix, e.g. `aiaas_live_4fQz`. */
const DISPLAY_BODY_CHARS = 4;

function checksum(text: string): string {
  const value = crc32(text);
  const bytes = new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
  return encodeBase62(bytes, CHECK_LENGTH);
}

export interface ParsedApiKey {
  environment: KeyEnvironmentName;
  /** e.g. `aiaas_live_4fQz`, safe to show and log */
  displayPrefix: string;
  last4: string;
}

export function generateApiKey(environment: KeyEnvironmentName): { secret: string } & ParsedApiKey {
  const head = `${PLATFORM_PREFIX}_${environment}_${encodeBase62(randomBytes(32), BODY_LENGTH)}`;
  const secret = head + checksum(head);
  return { secret, ...describe(secret, environment) };
}

/** Checks format and checksum; returns null for anything malformed. */
export function parseApiKey(candidate: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  const head = candidate.slice(0, -CHECK_LENGTH);
  if (checksum(head) !== candidate.slice(-CHECK_LENGTH)) return null;
  return describe(candidate, match[1] as KeyEnvironmentName);
}

function describe(secret: string, environment: KeyEnvironmentName): ParsedApiKey {
  const bodyStart = PLATFORM_PREFIX.length + environment.length + 2;
  return {
    environment,
    displayPrefix: secret.slice(0, bodyStart + DISPLAY_BODY_CHARS),
    last4: secret.slice(-4),
  };
}
