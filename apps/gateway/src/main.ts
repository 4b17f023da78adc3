import cluster from "node:cluster";
import { loadEnvOrExit } from "@aiaas/config";
import { loggerOptions } from "@aiaas/core/platform";
import { gatewayEnvSchema } from "./env.ts";
import { runGatewayCluster } from "./cluster/gateway-cluster.ts";
import { gatewayProcessCount } from "./cluster/process-count.ts";

// One gateway process (the default), or the primary of several on one port (GATEWAY_PROCESSES).
const env = loadEnvOrExit("gateway", gatewayEnvSchema, process.env);
const processes = gatewayProcessCount(env.GATEWAY_PROCESSES);
if (cluster.isPrimary && processes > 1) {
  await runGatewayCluster(
    processes,
    { host: env.GATEWAY_INTERNAL_HOST, port: env.GATEWAY_INTERNAL_PORT },
    loggerOptions(env.LOG_LEVEL, env.LOG_FORMAT),
  );
} else {
  await import("./serve.ts");
}
