// `.data/<name>.env`: the resolved service URLs and the local secrets, kept
// across runs so keys stay valid, and read by the CLI (`npm run aiaas`).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { dataDir } from "./paths.mjs";

const generated = {
  API_KEY_PEPPER: () => randomBytes(32).toString("hex"),
  MASTER_KEYS: () => `local1:${randomBytes(32).toString("base64")}`,
  AUTH_SECRET: () => randomBytes(32).toString("hex"),
  // Ed25519 seed that signs audit checkpoints (docs/security.md).
  AUDIT_SIGNING_KEY: () => randomBytes(32).toString("base64"),
  // The password of the apps' own database login (docs/database.md, "Roles and row-level security").
  DATABASE_APP_PASSWORD: () => randomBytes(18).toString("base64url"),
};

/**
 * Writes `file` with `values`, the secrets kept from before (or made now),
 * and what `derive` makes of them all (e.g. a URL that carries a secret).
 */
export function writeLocalEnv(file, { fresh, values, derive = () => ({}) }) {
  const previous = !fresh && existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  const env = { ...previous, ...values };
  for (const [name, make] of Object.entries(generated)) env[name] ??= process.env[name] ?? make();
  Object.assign(env, derive(env));
  mkdirSync(dataDir, { recursive: true });
  const lines = Object.entries(env).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  writeFileSync(file, `# Written by npm start / npm test. Secrets: keep this file private.\n${lines.join("\n")}\n`, {
    mode: 0o600,
  });
  return env;
}
