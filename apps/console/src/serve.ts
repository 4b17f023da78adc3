// The console's HTTP server: Next's own request handler, behind the one thing
// Next does not give a route handler, the client's address. Every request
// gets CLIENT_IP_HEADER from the connection and TRUSTED_PROXIES, replacing
// whatever a client sent under that name.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import next from "next";
import { CLIENT_IP_HEADER, clientAddressResolver } from "@aiaas/core/platform";
import { consoleEnv } from "./server/env.ts";

const env = consoleEnv();
const clientAddress = clientAddressResolver(env.TRUSTED_PROXIES);
const app = next({ dev: false, dir: fileURLToPath(new URL("..", import.meta.url)) });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  request.headers[CLIENT_IP_HEADER] = clientAddress(request);
  void handle(request, response);
});
server.listen(env.PORT, env.CONSOLE_HOST, () => {
  console.log(`console listening on http://${env.CONSOLE_HOST}:${env.PORT}`);
});

// Finish what is in flight, then stop: a deploy's SIGTERM drops no request.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
