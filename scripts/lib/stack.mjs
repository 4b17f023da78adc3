// What `npm start` and `npm test` share: dependencies, Postgres, Redis,
// local secrets, migrations and seed.
import { rmSync } from "node:fs";
import { join, relative } from "node:path";
import { ensureDependencies } from "./install.mjs";
import { resolvePostgres } from "./postgres.mjs";
import { resolveRedis } from "./redis.mjs";
import { writeLocalEnv } from "./local-env.mjs";
import { run } from "./run.mjs";
import { at, dataDir } from "./paths.mjs";
import { fail, step } from "./log.mjs";

/** What `npm test` and `npm run test:faults` run on: a database and a Redis database of their own, emptied first. */
export const testStack = {
  database: "aiaas",
  suffix: "_test",
  // Redis's database 1: npm start's apps (database 0) never take the tests' jobs, nor they theirs.
  redisDatabase: 1,
  fresh: true,
  envFile: "test.env",
  demoFile: "test-demo.json",
};

export async function prepareStack({ database, suffix, redisDatabase, fresh, envFile, demoFile }) {
  await ensureDependencies();
  const postgres = await resolvePostgres({ database, suffix, recreate: fresh });
  const redis = await resolveRedis({ database: redisDatabase, fresh }).catch(async (error) => {
    await postgres.stop();
    throw error;
  });
  const stop = async () => {
    await redis.stop();
    await postgres.stop();
  };
  try {
    // Checkpoints vouch for one database's audit log: a fresh database starts without them.
    const checkpoints = join(dataDir, `audit-checkpoints${suffix ?? ""}`);
    if (fresh) rmSync(checkpoints, { recursive: true, force: true });
    const env = writeLocalEnv(join(dataDir, envFile), {
      fresh,
      values: { DATABASE_URL: postgres.url, REDIS_URL: redis.url, AUDIT_CHECKPOINT_DIR: checkpoints },
    });
    const cli = (args, label) => run(process.execPath, [at("scripts/aiaas.mjs"), ...args], { env, label });
    step("applying migrations…");
    await cli(["migrate"], "migrations");
    await checkLocalSecrets(cli, postgres.url, join(dataDir, envFile));
    step("seeding…");
    await cli(["seed", "--demo-file", join(dataDir, demoFile)], "seed");
    return { env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A database made by another checkout (or before .data was removed) holds
 * data keys that this env file's master key cannot open: every request
 * would fail. Say so, and how to go on, instead of seeding.
 */
async function checkLocalSecrets(cli, databaseUrl, envFile) {
  try {
    await cli(["keys", "verify-master"], "checking the master keys");
  } catch {
    const { hostname, port, pathname } = new URL(databaseUrl);
    const database = pathname.slice(1);
    const file = relative(process.cwd(), envFile);
    fail(
      `the database ${database} on ${hostname}:${port || 5432} was made with other local secrets than ${file} (above: what does not open). ` +
        `To reuse it, copy MASTER_KEYS and API_KEY_PEPPER from the ${file} of the checkout that made it into this one; ` +
        `to start afresh, drop it (dropdb -h ${hostname} -U postgres ${database}) or set DATABASE_URL to another database.`,
    );
  }
}
