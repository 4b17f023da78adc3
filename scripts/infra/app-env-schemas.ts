import type { z } from "zod";
import { cliEnvSchema } from "../../apps/cli/src/env.ts";
import { consoleEnvSchema } from "../../apps/console/src/server/env.ts";
import { gatewayEnvSchema } from "../../apps/gateway/src/env.ts";
import { workerEnvSchema } from "../../apps/worker/src/env.ts";

/** Each app's environment schema: what it refuses to start without. */
export const appEnvSchemas = {
  console: consoleEnvSchema,
  gateway: gatewayEnvSchema,
  worker: workerEnvSchema,
  cli: cliEnvSchema,
} satisfies Record<string, z.ZodType>;

export type App = keyof typeof appEnvSchemas;

/** The app an image of ours runs: `aiaas/<app>[-gpu][:tag]`; undefined for anyone else's image. */
export function appOfImage(image: string | undefined): App | undefined {
  const name = /^aiaas\/([a-z]+)(?:-gpu)?(?::|$)/.exec(image ?? "")?.[1];
  return name && name in appEnvSchemas ? (name as App) : undefined;
}

/** Where an image of ours is built: its Dockerfile (from the repository root) and target. */
export function imageBuild(image: string): { dockerfile: string; target: string } {
  const name = /^aiaas\/([a-z-]+)(?::|$)/.exec(image)?.[1] ?? "";
  return name === "worker-gpu"
    ? { dockerfile: "infra/docker/Dockerfile.worker-gpu", target: "worker-gpu" }
    : { dockerfile: "infra/docker/Dockerfile", target: name };
}
