import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
/** Files under `dir` (from the repository root) whose path matches `pattern`, node_modules aside. */
const filesUnder = (dir: string, pattern: RegExp) =>
  readdirSync(at(dir), { recursive: true, encoding: "utf8" })
    .filter((file) => !file.includes("node_modules") && pattern.test(file))
    .map((file) => `${dir}/${file}`);

/** Every metric name the apps register: literal names, and `${metricsPrefix}…` under each app's prefix. */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  for (const file of [...filesUnder("apps", /\/src\/.*\.ts$/), ...filesUnder("packages", /\/src\/.*\.ts$/)]) {
    if (file.includes(".test.") || file.includes("/generated/")) continue;
    const source = readFileSync(at(file), "utf8");
    for (const [, name] of source.matchAll(/name: "(aiaas_[a-z0-9_]+)"/g)) names.add(name ?? "");
    for (const [, suffix] of source.matchAll(/name: `\$\{(?:metricsPrefix|prefix|this\.prefix)\}([a-z0-9_]+)`/g))
      for (const prefix of ["aiaas_gateway_", "aiaas_worker_"]) names.add(`${prefix}${suffix ?? ""}`);
  }
  return names;
}

/** The metric names a PromQL expression reads (a histogram's _bucket, _count and _sum are the histogram's). */
const metricsIn = (expr: string) =>
  [...expr.matchAll(/\b(aiaas_[a-z0-9_]+)/g)].map(([, name]) => (name ?? "").replace(/_(bucket|count|sum)$/, ""));

describe("dashboards and alerts", () => {
  const known = registeredMetrics();

  it("read only metrics the apps export (infra/grafana, the PrometheusRule, the KEDA scalers)", () => {
    const dashboard = JSON.parse(readFileSync(at("infra/grafana/aiaas-dashboard.json"), "utf8")) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    for (const file of filesUnder("infra/k8s", /\.yaml$/))
      for (const document of parseAllDocuments(readFileSync(at(file), "utf8"))) {
        const text = JSON.stringify(document.toJS());
        exprs.push(...[...text.matchAll(/"(?:expr|query)":"((?:[^"\\]|\\.)*)"/g)].map(([, expr]) => expr ?? ""));
      }
    expect(exprs.length).toBeGreaterThan(15);
    const unknown = exprs.flatMap(metricsIn).filter((name) => !known.has(name));
    expect([...new Set(unknown)]).toEqual([]);
    expect(known).toContain("aiaas_queue_jobs");
  });
});
