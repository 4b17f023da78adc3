import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const NPM_PREFIX = "npm:";

/**
 * Resolves a manifest file reference to an absolute path. `npm:<pkg>/<path>`
 * walks up from the folder through node_modules, as Node resolves packages,
 * but without the package's `exports` map (which hides data files such as
 * ONNX graphs). Returns undefined when the file is not there.
 */
export function resolveModelFile(folder: string, reference: string): string | undefined {
  if (!reference.startsWith(NPM_PREFIX)) {
    const path = resolve(folder, reference);
    return existsSync(path) ? path : undefined;
  }
  const specifier = reference.slice(NPM_PREFIX.length);
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", specifier);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
