import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

/** A rendered Kubernetes object, as far as the checks read it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Whether `kubectl` (with its built-in kustomize) is on this machine. */
export function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** `kubectl kustomize <dir>`: the objects an overlay renders to. */
export function renderKustomization(dir: string): KubeObject[] {
  const text = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
  return parseAllDocuments(text).map((document) => document.toJS() as KubeObject);
}
