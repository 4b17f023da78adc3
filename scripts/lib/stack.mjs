// What `npm start` and `npm test` share: dependencies, Postgres, Redis,
// local secrets, migrations and seed.
import { join } from "node:path";
import { ensureDependencies } from "./install.mjs";
import { resolvePostgres } from "./postgres.mjs";
import { resolveRedis } from "./redis.mjs";
import { writeLocalEnv } from "./local-env.mjs";
import { run } from "./run.mjs";
import { at, dataDir } from "./paths.mjs";
import { step } from "./log.mjs";

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
    const env = writeLocalEnv(join(dataDir, envFile), {
      fresh,
      values: { DATABASE_URL: postgres.url, REDIS_URL: redis.url },
    });
    const cli = (args, label) => run(process.execPath, [at("scripts/aiaas.mjs"), ...args], { env, label });
    step("applying migrations…");
    await cli(["migrate"], "migrations");
    step("seeding…");
    await cli(["seed", "--demo-file", join(dataDir, demoFile)], "seed");
    return { env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
