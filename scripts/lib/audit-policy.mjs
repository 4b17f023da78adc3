// The judgement of an `npm audit --json` report (version 2) against the reviewed allow-list.

const SERIOUS = new Set(["high", "critical"]);

/** GHSA-xxxx-xxxx-xxxx from an advisory's URL, else its URL. */
const advisoryId = (url = "") => url.match(/GHSA-[\w-]+/)?.[0] ?? url;

/**
 * @param {any} report npm audit's JSON
 * @param {{ id: string; reason: string; until: string }[]} allowlist
 * @param {Date} now
 * @returns {{ unreachable?: string; audited: number; violations: string[]; allowed: string[] }}
 */
export function judgeAudit(report, allowlist, now) {
  if (!report.vulnerabilities) {
    return {
      unreachable: report.message ?? report.error?.summary ?? "npm audit gave no report",
      audited: 0,
      violations: [],
      allowed: [],
    };
  }
  const entries = new Map(allowlist.map((entry) => [entry.id, entry]));
  const violations = [];
  const allowed = [];
  const seen = new Set();
  for (const vulnerability of Object.values(report.vulnerabilities)) {
    for (const advisory of vulnerability.via) {
      // A string names another vulnerable package: its own advisories are judged there.
      if (typeof advisory === "string" || !SERIOUS.has(advisory.severity)) continue;
      const id = advisoryId(advisory.url);
      const line = `${advisory.name} (${advisory.range}): ${advisory.severity}, ${advisory.title} [${id}]`;
      if (seen.has(line)) continue;
      seen.add(line);
      const entry = entries.get(id);
      if (entry && new Date(entry.until) > now) allowed.push(`${line}: ${entry.reason} (until ${entry.until})`);
      else violations.push(entry ? `${line}: its allow-list entry ran out on ${entry.until}` : line);
    }
  }
  const audited = report.metadata?.dependencies?.prod ?? report.metadata?.dependencies?.total ?? 0;
  return { audited, violations, allowed };
}
