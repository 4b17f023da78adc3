import { z } from "zod";
import { envFields, loadEnvOrExit } from "@aiaas/config";

export const consoleEnvSchema = z.object({
  NODE_ENV: envFields.nodeEnv,
  DATABASE_URL: envFields.databaseUrl,
  /** Where customers reach the public API; shown in the console. */
  PUBLIC_GATEWAY_URL: z.url({ error: "expected a URL, e.g. http://localhost:8080" }).default("http://localhost:8080"),
});
export type ConsoleEnv = z.infer<typeof consoleEnvSchema>;

let cached: ConsoleEnv | undefined;

/** Read once, at server start (instrumentation.ts), then from memory. */
export function consoleEnv(): ConsoleEnv {
  cached ??= loadEnvOrExit("console", consoleEnvSchema, process.env);
  return cached;
}
