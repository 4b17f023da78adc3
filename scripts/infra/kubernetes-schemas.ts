import * as keda from "@kubernetes-models/keda";
import * as prometheusOperator from "@kubernetes-models/prometheus-operator";
import * as kubernetes from "kubernetes-models";
import type { KubeObject } from "./kustomize.ts";

interface ModelClass {
  apiVersion?: string;
  kind?: string;
  new (data: object): { validate(): void };
}

/** Every model class of the Kubernetes, KEDA and Prometheus Operator schemas, by `apiVersion/kind`. */
function collectModels(namespace: unknown, into = new Map<string, ModelClass>(), depth = 0) {
  if (!namespace || typeof namespace !== "object" || depth > 3) return into;
  for (const value of Object.values(namespace)) {
    const model = value as ModelClass;
    if (typeof value === "function" && model.apiVersion && model.kind)
      into.set(`${model.apiVersion}/${model.kind}`, model);
    else if (typeof value === "object") collectModels(value, into, depth + 1);
  }
  return into;
}

const models = collectModels({ kubernetes, keda, prometheusOperator });

/** Why `object` does not satisfy its kind's schema, or null; an unknown kind is a problem too. */
export function schemaProblem(object: KubeObject): string | null {
  const Model = models.get(`${object.apiVersion}/${object.kind}`);
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
