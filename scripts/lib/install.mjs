// Installs dependencies when node_modules is missing or older than the
// manifests, and regenerates the Prisma client when the schema changed.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.mjs";
import { at, root } from "./paths.mjs";
import { ok, step } from "./log.mjs";

const installEnv = { ONNXRUNTIME_NODE_INSTALL: "skip", PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false" };

function hashFiles(files) {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(existsSync(file) ? readFileSync(file) : "");
  return hash.digest("hex");
}

function manifests() {
  const files = [at("package.json"), at("package-lock.json"), at(".npmrc")];
  for (const group of ["apps", "packages"]) {
    for (const name of readdirSync(at(group)).sort()) files.push(join(root, group, name, "package.json"));
  }
  return [...files, at("e2e/package.json")];
}

function upToDate(stampFile, digest) {
  return existsSync(stampFile) && readFileSync(stampFile, "utf8") === digest;
}

export async function ensureDependencies() {
  const stamp = at("node_modules/.aiaas-install-stamp");
  const digest = hashFiles(manifests());
  const generatedStamp = at("packages/db/src/generated/.schema-hash");
  const schemaDigest = () => hashFiles([at("prisma/schema.prisma"), at("node_modules/@prisma/client/package.json")]);
  if (upToDate(stamp, digest)) {
    ok("dependencies up to date");
  } else {
    step("installing dependencies (npm ci)…");
    await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { env: installEnv, label: "npm ci" });
    writeFileSync(stamp, digest);
    // @aiaas/db's postinstall has just generated the client.
    writeFileSync(generatedStamp, schemaDigest());
    ok("dependencies installed");
  }
  if (!upToDate(generatedStamp, schemaDigest())) {
    step("generating the Prisma client…");
    await run("npm", ["run", "generate", "-w", "@aiaas/db", "--silent"], { env: installEnv, label: "prisma generate" });
    writeFileSync(generatedStamp, schemaDigest());
  }
}
