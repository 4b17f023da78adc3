import type { ModelManifest } from "../model-manifest.ts";
import type { FileDigest } from "./file-digests.ts";

/**
 * The files that make one version of a folder: all of them but the graphs
 * (and their external data) of the folder's other variants, so that the
 * main graph and `onnx/model_int8.onnx` beside it are two versions, each
 * with a digest of its own that does not change when a variant is added.
 */
export function versionFiles(files: readonly FileDigest[], manifest: ModelManifest, variant?: string): FileDigest[] {
  const chosen = variant === undefined ? manifest.onnx : manifest.variants[variant]?.onnx;
  const graphs = [manifest.onnx, ...Object.values(manifest.variants).map((graph) => graph.onnx)];
  const others = new Set(graphs.filter((graph) => graph !== chosen).flatMap((graph) => [graph, `${graph}_data`]));
  return files.filter((file) => !others.has(file.path));
}
