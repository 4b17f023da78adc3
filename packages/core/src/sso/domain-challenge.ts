import { Resolver } from "node:dns/promises";

/** Where a tenant puts the TXT record that proves it owns a domain, and what the record says. */
export const challengeName = (domain: string) => `_aiaas-challenge.${domain}`;
export const challengeValue = (token: string) => `aiaas-domain-verification=${token}`;

/** A resolver of the system's servers, or of DNS_SERVERS (`host[:port]`, comma separated; tests use their own). */
export function domainResolver(servers: readonly string[] = []) {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

/** Whether the domain's challenge record holds the token; otherwise why not, in words for its owner. */
export async function findChallenge(
  resolver: Pick<Resolver, "resolveTxt">,
  domain: string,
  token: string,
): Promise<{ found: true } | { found: false; reason: string }> {
  const name = challengeName(domain);
  let records: string[][];
  try {
    records = await resolver.resolveTxt(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENODATA" || code === "ENOTFOUND")
      return { found: false, reason: `There is no TXT record at ${name} yet.` };
    return { found: false, reason: `DNS did not answer for ${name} (${code ?? "error"}); it is tried again.` };
  }
  // A long record comes in several strings: they are one value.
  const values = records.map((parts) => parts.join(""));
  if (values.includes(challengeValue(token))) return { found: true };
  return { found: false, reason: `The TXT record at ${name} does not hold ${challengeValue(token)}.` };
}
