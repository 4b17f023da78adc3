import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv as parseDotenv } from "node:util";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@aiaas/config";
import { appEnvSchemas, appOfImage } from "./app-env-schemas.ts";
import { composeVariables, loadCompose, MissingVariable, serviceEnvironment } from "./compose-file.ts";
import { dockerfileStages, stageEnvironment } from "./dockerfile-stages.ts";
import { sampleSecrets } from "./sample-secrets.ts";

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const composePath = at("infra/docker-compose.yml");
const example = parseDotenv(readFileSync(at("infra/.env.example"), "utf8"));

const blanks = Object.keys(example).filter((name) => !example[name]);
const operatorEnv = Object.fromEntries(
  Object.entries(example).map(([name, value]) => [name, value || sampleSecrets[name]?.()]),
);

describe("infra/docker-compose.yml", () => {
  it("asks .env.example for every variable it needs, and .env.example holds nothing it does not read", () => {
    const { required, optional } = composeVariables(composePath);
    expect(
      [...required].filter((name) => !(name in example)),
      "needed, missing from .env.example",
    ).toEqual([]);
    expect(
      Object.keys(example).filter((name) => !required.has(name) && !optional.has(name)),
      "in .env.example, read by no service",
    ).toEqual([]);
    expect(
      blanks.filter((name) => !sampleSecrets[name]),
      "blanks this test cannot fill",
    ).toEqual([]);
  });

  it("refuses to start while any secret of .env.example is blank", () => {
    for (const blank of blanks)
      expect(() => loadCompose(composePath, { ...operatorEnv, [blank]: "" }), blank).toThrow(MissingVariable);
  });

  it("gives every service of ours all that its app's environment schema requires", () => {
    const { services } = loadCompose(composePath, operatorEnv);
    const problems: Record<string, string> = {};
    let checked = 0;
    for (const [name, service] of Object.entries(services)) {
      const app = appOfImage(service.image);
      if (!app) continue;
      const dockerfile = at(`infra/${service.build?.dockerfile?.replace(/^infra\//, "") ?? "docker/Dockerfile"}`);
      const target = service.build?.target ?? name;
      const env = { ...stageEnvironment(dockerfileStages(dockerfile), target), ...serviceEnvironment(service) };
      try {
        parseEnv(appEnvSchemas[app], env);
        checked++;
      } catch (error) {
        if (!(error instanceof EnvError)) throw error;
        problems[`${name} (${app})`] = error.message;
      }
    }
    expect(problems).toEqual({});
    expect(checked, "services checked").toBeGreaterThanOrEqual(5);
  });

  // Only where the Compose plugin is installed (not on our machines: see infra/README.md).
  const compose = spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0;
  it.skipIf(!compose)("passes `docker compose config` with .env.example filled in", () => {
    const envFile = join(mkdtempSync(join(tmpdir(), "compose-")), ".env");
    writeFileSync(
      envFile,
      Object.entries(operatorEnv)
        .map(([name, value]) => `${name}=${value ?? ""}`)
        .join("\n"),
    );
    execFileSync("docker", [
      "compose",
      "-f",
      composePath,
      "--env-file",
      envFile,
      "--profile",
      "gpu",
      "--profile",
      "tools",
      "config",
      "--quiet",
    ]);
  });
});
