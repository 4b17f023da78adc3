export { EnvError, loadEnvOrExit, parseEnv, withEnvFile } from "./load-env.ts";
export * as envFields from "./env-fields.ts";
