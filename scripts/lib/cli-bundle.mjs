import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { at } from "./paths.mjs";

export const cliBundle = at("apps/cli/dist/aiaas.mjs");

/**
 * Each module keeps its own location: paths it finds next to itself (model
 * folders, migrations, the Prisma client's engine) resolve as from source.
 */
const sourceLocations = {
  name: "source-locations",
  setup(builder) {
    builder.onLoad({ filter: /\.[cm]?ts$/ }, ({ path }) => ({
      loader: "ts",
      contents: readFileSync(path, "utf8")
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(path))),
    }));
  },
};

/** npm packages stay where npm put them; only the workspace's own TypeScript is bundled. */
const packagesExternal = {
  name: "packages-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      path.startsWith("@aiaas/") ? undefined : { external: true },
    );
  },
};

/**
 * Builds the operator CLI into one ES module (about 0.1 s): it starts in a
 * third of the time running its TypeScript through tsx takes, since Node
 * then loads one file instead of hundreds through a loader hook.
 */
export async function bundleCli() {
  const { outputFiles } = await build({
    entryPoints: [at("apps/cli/src/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: cliBundle,
    write: false,
    logLevel: "warning",
    plugins: [sourceLocations, packagesExternal],
  });
  mkdirSync(dirname(cliBundle), { recursive: true });
  // Written aside and renamed: a CLI started meanwhile reads the old bundle or the new, never half of one.
  const partial = `${cliBundle}.${process.pid}.tmp`;
  writeFileSync(partial, outputFiles[0].contents);
  renameSync(partial, cliBundle);
  return cliBundle;
}
