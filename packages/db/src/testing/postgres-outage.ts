import { createServer, connect, type Socket } from "node:net";
import { testDatabaseUrl } from "./test-database-url.ts";

/**
 * The test database behind a loopback proxy that a test can cut: every
 * connection through it is dropped and new ones are reset, as a Postgres
 * restarting looks to its clients, until it is restored.
 */
export async function startPostgresOutage() {
  const target = new URL(testDatabaseUrl());
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return client.resetAndDestroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {}); // A cut shows as the other side's close.
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the proxy has no port");
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(address.port);
  return {
    databaseUrl: url.toString(),
    cut() {
      down = true;
      for (const socket of sockets) socket.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
