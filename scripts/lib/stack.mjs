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
    // Migrations run as the server's user (the owner); the apps connect as a login of their own, which
    // `migrate` makes a member of the application role: no superuser, no DDL, bound by row-level security.
    const env = writeLocalEnv(join(dataDir, envFile), {
      fresh,
      values: { DATABASE_OWNER_URL: postgres.url, REDIS_URL: redis.url, AUDIT_CHECKPOINT_DIR: checkpoints },
      derive: ({ DATABASE_APP_PASSWORD }) => ({ DATABASE_URL: appLoginUrl(postgres.url, DATABASE_APP_PASSWORD) }),
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

/** The owner's URL with the apps' login instead: `<database>_app_login` and its password. */
export function appLoginUrl(ownerUrl, password) {
  const url = new URL(ownerUrl);
  url.username = `${decodeURIComponent(url.pathname.slice(1))}_app_login`;
  url.password = password;
  return url.toString();
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
