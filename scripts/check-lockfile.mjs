#!/usr/bin/env node
// Every dependency that package-lock.json resolves satisfies the range its
// dependent declares: a lockfile edited by hand, or merged badly, cannot
// install something other than what the package.json files ask for.
// Usage: node scripts/check-lockfile.mjs [path/to/package-lock.json]
import { readFileSync } from "node:fs";
import semver from "semver";

const file = process.argv[2] ?? "package-lock.json";
const { packages } = JSON.parse(readFileSync(file, "utf8"));

/**
 * The lock entry Node would load for `name` required from the package at
 * `from` (its path in the lock): its own node_modules, then each enclosing
 * package's, then the root's.
 */
function resolve(from, name) {
  for (let dir = from; ;) {
    const entry = packages[dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`];
    if (entry) return entry.link ? packages[entry.resolved] : entry;
    if (!dir) return undefined;
    const inner = dir.lastIndexOf("node_modules/");
    dir = inner > 0 ? dir.slice(0, inner - 1) : "";
  }
}

const problems = [];
let checked = 0;
for (const [path, entry] of Object.entries(packages)) {
  if (entry.link) continue;
  const declared = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.devDependencies };
  for (const [name, wanted] of Object.entries(declared)) {
    // Aliases (npm:other@range) check the aliased range; git, file and URL specs have no version range.
    const range = wanted.startsWith("npm:") ? wanted.slice(wanted.lastIndexOf("@") + 1) : wanted;
    if (!semver.validRange(range)) continue;
    const found = resolve(path, name);
    if (!found) {
      if (!(name in (entry.optionalDependencies ?? {})) && !entry.dev)
        problems.push(`${path || "(root)"}: ${name}@${wanted} is not in the lockfile`);
      continue;
    }
    checked += 1;
    if (found.version && !semver.satisfies(found.version, range, { includePrerelease: true }))
      problems.push(`${path || "(root)"}: ${name}@${wanted} resolves to ${found.version}`);
  }
}
if (problems.length > 0) {
  console.error(`✗ ${problems.length} locked version(s) outside their declared ranges:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`✓ ${checked} locked dependencies satisfy their declared ranges`);
