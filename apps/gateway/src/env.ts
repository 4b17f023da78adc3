import { z } from "zod";
import { envFields } from "@aiaas/config";

export const gatewayEnvSchema = z.object({
  NODE_ENV: envFields.nodeEnv,
  DATABASE_URL: envFields.databaseUrl,
  REDIS_URL: envFields.redisUrl,
  API_KEY_PEPPER: envFields.apiKeyPepper,
  GATEWAY_HOST: envFields.host,
  GATEWAY_PORT: envFields.port(8080),
  LOG_LEVEL: envFields.logLevel,
  LOG_FORMAT: envFields.logFormat,
});
export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
