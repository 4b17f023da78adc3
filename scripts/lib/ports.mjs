import { fail } from "./log.mjs";
import { isPortFree } from "./net.mjs";

/** Ports of the apps (`gateway_internal`: GATEWAY_INTERNAL_PORT), from the environment or the given defaults; all must be free. */
export async function choosePorts(defaults) {
  const ports = {};
  for (const [app, fallback] of Object.entries(defaults)) {
    const variable = `${app.toUpperCase()}_PORT`;
    const value = Number(process.env[variable] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${variable} must be a port number (1-65535)`);
    if (!(await isPortFree(value))) fail(`port ${value} (${app}) is in use: stop what uses it, or set ${variable}`);
    ports[app] = value;
  }
  return ports;
}
