import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEnv as parseDotenv } from "node:util";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@aiaas/config";
import { appEnvSchemas, appOfImage, imageBuild } from "./app-env-schemas.ts";
import { dockerfileStages, stageEnvironment } from "./dockerfile-stages.ts";
import { hasKubectl, renderKustomization, type KubeObject } from "./kustomize.ts";
import { schemaProblem } from "./kubernetes-schemas.ts";
import { sampleSecrets } from "./sample-secrets.ts";

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const overlays = ["cpu", "gpu", "managed"] as const;
/** The keys of the Secret the operator makes (never in the manifests). */
const secretKeys = new Set(Object.keys(parseDotenv(readFileSync(at("infra/k8s/base/secrets.example.env"), "utf8"))));

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: object };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: object;
  livenessProbe?: object;
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string }[];
  topologySpreadConstraints?: object[];
}

const podSpec = (object: KubeObject) => (object.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
const ofKind = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind);
const envValue = (container: Container, name: string) => container.env?.find((entry) => entry.name === name)?.value;

/** The environment a container starts with: its image's ENV, the ConfigMaps it reads, its env (secrets as given). */
function containerEnvironment(container: Container, objects: KubeObject[]) {
  const { dockerfile, target } = imageBuild(container.image);
  const env: Record<string, string> = stageEnvironment(dockerfileStages(at(dockerfile)), target);
  for (const source of container.envFrom ?? []) {
    const map = ofKind(objects, "ConfigMap").find((object) => object.metadata.name === source.configMapRef?.name);
    Object.assign(env, (map as { data?: Record<string, string> } | undefined)?.data);
  }
  for (const entry of container.env ?? []) {
    const secret = entry.valueFrom?.secretKeyRef;
    if (entry.value !== undefined) env[entry.name] = entry.value;
    // An optional secret key is the operator's choice: taken as absent.
    else if (secret && !secret.optional) env[entry.name] = sampleSecrets[secret.key]?.() ?? "";
  }
  return env;
}

describe.skipIf(!hasKubectl())("infra/k8s", () => {
  describe.each(overlays)("overlay %s", (overlay) => {
    const objects = renderKustomization(at(`infra/k8s/overlays/${overlay}`));
    const workloads = objects.filter((object) => podSpec(object));
    const longRunning = workloads.filter((object) => object.kind !== "Job");

    it("renders objects that each satisfy the Kubernetes, KEDA or Prometheus Operator schema", () => {
      expect(objects.length).toBeGreaterThan(10);
      const problems = objects
        .map((object) => [`${object.kind}/${object.metadata.name}`, schemaProblem(object)] as const)
        .filter(([, problem]) => problem !== null);
      expect(problems).toEqual([]);
      expect(new Set(objects.map((object) => object.metadata.namespace ?? "aiaas"))).toEqual(new Set(["aiaas"]));
    });

    it("inlines no secret: no Secret object, no secret key as a literal value or in a ConfigMap", () => {
      expect(ofKind(objects, "Secret")).toEqual([]);
      const inline = workloads.flatMap((object) =>
        [...(podSpec(object)?.containers ?? []), ...(podSpec(object)?.initContainers ?? [])].flatMap((container) =>
          (container.env ?? [])
            .filter((entry) => secretKeys.has(entry.name) && !entry.valueFrom?.secretKeyRef)
            .map((entry) => `${object.metadata.name}/${container.name}: ${entry.name}`),
        ),
      );
      const inConfig = ofKind(objects, "ConfigMap").flatMap((map) =>
        Object.keys((map as { data?: object }).data ?? {}).filter((key) => secretKeys.has(key)),
      );
      expect([...inline, ...inConfig]).toEqual([]);
      const referenced = workloads.flatMap((object) =>
        [...(podSpec(object)?.containers ?? []), ...(podSpec(object)?.initContainers ?? [])].flatMap((container) =>
          (container.env ?? []).flatMap((entry) => entry.valueFrom?.secretKeyRef?.key ?? []),
        ),
      );
      expect(
        referenced.filter((key) => !secretKeys.has(key)),
        "keys missing from secrets.example.env",
      ).toEqual([]);
    });

    it("gives every container limits, and every long-running container readiness and liveness probes", () => {
      const problems: string[] = [];
      for (const object of workloads) {
        const spec = podSpec(object);
        for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
          const name = `${object.kind}/${object.metadata.name}/${container.name}`;
          if (!container.resources?.limits?.cpu || !container.resources.limits.memory) problems.push(`${name}: limits`);
        }
        if (object.kind === "Job") continue;
        for (const container of spec?.containers ?? []) {
          if (!container.readinessProbe || !container.livenessProbe)
            problems.push(`${object.kind}/${object.metadata.name}/${container.name}: probes`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("gives every container of ours the environment its app's schema requires", () => {
      const problems: Record<string, string> = {};
      let checked = 0;
      for (const object of workloads) {
        const spec = podSpec(object);
        for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
          const app = appOfImage(container.image);
          if (!app) continue;
          try {
            parseEnv(appEnvSchemas[app], containerEnvironment(container, objects));
            checked++;
          } catch (error) {
            if (!(error instanceof EnvError)) throw error;
            problems[`${object.metadata.name}/${container.name}`] = error.message;
          }
        }
      }
      expect(problems).toEqual({});
      expect(checked).toBeGreaterThanOrEqual(6);
    });

    it("runs console and gateway spread, autoscaled on CPU and covered by a disruption budget; the apps wait for migrations", () => {
      for (const name of ["aiaas-console", "aiaas-gateway"]) {
        const deployment = longRunning.find((object) => object.metadata.name === name);
        expect(podSpec(deployment as KubeObject)?.topologySpreadConstraints?.length, name).toBeGreaterThan(0);
        expect(ofKind(objects, "HorizontalPodAutoscaler").map((hpa) => hpa.metadata.name)).toContain(name);
        expect(ofKind(objects, "PodDisruptionBudget").map((pdb) => pdb.metadata.name)).toContain(name);
      }
      expect(ofKind(objects, "Job").map((job) => podSpec(job)?.containers[0]?.args)).toEqual([["migrate"]]);
      const waiting = longRunning.filter((object) => appOfImage(podSpec(object)?.containers[0]?.image) !== undefined);
      for (const object of waiting)
        expect(podSpec(object)?.initContainers?.[0]?.args, object.metadata.name).toEqual([
          "migrate",
          "--check",
          "--wait",
          "600",
        ]);
    });

    it("scales every worker pool with a ScaledObject on its own models' waiting and prioritised jobs", () => {
      const pools = longRunning.filter(
        (object) => object.metadata.labels?.["app.kubernetes.io/component"] === "worker",
      );
      expect(pools.length).toBeGreaterThan(0);
      const scaled = ofKind(objects, "ScaledObject") as (KubeObject & {
        spec: {
          scaleTargetRef: { name: string };
          minReplicaCount?: number;
          triggers: { type: string; metadata: { query?: string } }[];
        };
      })[];
      for (const pool of pools) {
        const scaler = scaled.find((object) => object.spec.scaleTargetRef.name === pool.metadata.name);
        expect(scaler, `${pool.metadata.name} has a ScaledObject`).toBeDefined();
        const query = scaler?.spec.triggers.find((trigger) => trigger.type === "prometheus")?.metadata.query ?? "";
        // Requests, not jobs: a group of coalesced requests is one job (decision 0019).
        expect(query).toMatch(/^sum\(aiaas_gateway_requests_in_flight\{/);
        const models = envValue(podSpec(pool)?.containers[0] as Container, "WORKER_MODELS");
        expect(query, pool.metadata.name).toContain(
          models === "all" ? 'model=~".+"' : `model=~"${models?.split(",").join("|")}"`,
        );
        expect(scaled.length).toBe(pools.length);
      }
      const gpuPools = pools.filter((pool) =>
        podSpec(pool)?.containers.some((container) => container.resources?.limits?.["nvidia.com/gpu"]),
      );
      expect(gpuPools.length > 0).toBe(overlay === "gpu");
      for (const pool of gpuPools) {
        const spec = podSpec(pool);
        expect(spec?.tolerations?.map((toleration) => toleration.key)).toContain("nvidia.com/gpu");
        expect(spec?.nodeSelector).toBeDefined();
        expect(
          scaled.find((object) => object.spec.scaleTargetRef.name === pool.metadata.name)?.spec.minReplicaCount,
        ).toBe(0);
      }
    });

    it("lets only the console and the gateway's public port be reached from anywhere", () => {
      const policies = ofKind(objects, "NetworkPolicy") as (KubeObject & {
        spec: {
          podSelector: { matchLabels?: Record<string, string> };
          policyTypes?: string[];
          ingress?: { from?: object[]; ports?: { port: number }[] }[];
        };
      })[];
      const denyAll = policies.find(
        (policy) =>
          Object.keys(policy.spec.podSelector).length === 0 &&
          !policy.spec.ingress &&
          policy.spec.policyTypes?.includes("Ingress"),
      );
      expect(denyAll, "a default-deny policy").toBeDefined();
      const open = policies.flatMap((policy) =>
        (policy.spec.ingress ?? [])
          .filter((rule) => !rule.from)
          .map(
            (rule) =>
              `${policy.spec.podSelector.matchLabels?.["app.kubernetes.io/component"]}:${rule.ports?.map((port) => port.port).join(",")}`,
          ),
      );
      expect(open.sort()).toEqual(["console:3000", "gateway:8080"]);
    });
  });
});
