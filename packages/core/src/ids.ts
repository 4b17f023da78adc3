import { randomBytes } from "node:crypto";
import { encodeBase62 } from "./base62.ts";

/** Type prefixes of the ids people see (`ten_…`, `key_…`, `req_…`). */
export const idPrefixes = {
  user: "usr",
  session: "ses",
  account: "acc",
  verification: "vrf",
  twoFactor: "tfa",
  tenant: "ten",
  membership: "mem",
  invitation: "inv",
  apiKey: "key",
  plan: "plan",
  quotaOverride: "quo",
  model: "mdl",
  modelVersion: "mdv",
  modelPrice: "prc",
  modelPull: "mpl",
  request: "req",
  jobGroup: "grp",
  usageEvent: "use",
  usageDaily: "usd",
  usageDeadLetter: "udl",
  dataKey: "dk",
  auditEvent: "evt",
  billingAccount: "ba",
  ledgerEntry: "led",
  meterReport: "mtr",
  invoice: "in",
  invoiceLine: "il",
  email: "eml",
  ssoConnection: "sso",
  ssoDomain: "dom",
  scimToken: "sct",
  directoryUser: "dus",
  directoryGroup: "dgr",
} as const;

export type IdKind = keyof typeof idPrefixes;

/** A new random id with 128 bits of entropy, e.g. `ten_3hG9…` (22 base62 chars). */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${encodeBase62(randomBytes(16), 22)}`;
}
