// What one request costs Redis in memory: while it is in flight (its job,
// its sealed input, its limits' entries, its events) and after it has been
// answered (the finished job's record kept by count and age, its usage on
// its way to Postgres). Echo chat completions through a real gateway and
// worker on a redis-server of this bench's own; the worker is paused so that
// `count` requests wait in the queue at once.
//   npx tsx bench/redis-memory.ts [count, default 500]
import { Redis } from "ioredis";
import { startRedisServer } from "../apps/gateway/src/testing/redis-server.ts";
import { startBenchGateway } from "./lib/bench-gateway.ts";
import { machine, withBenchDatabase } from "./lib/bench-stack.ts";
import { jsonPoster } from "./lib/http-client.ts";

const COUNT = Number(process.argv[2] ?? 500);
const KB = 1024;

await withBenchDatabase(async (stack) => {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
  const gateway = await startBenchGateway({ ...stack, redisUrl: server.url }, { models: "echo" });
  const client = jsonPoster(gateway.url, { authorization: `Bearer ${gateway.secret}` }, COUNT);
  const chat = (size: number) =>
    JSON.stringify({ model: "echo", messages: [{ role: "user", content: "x".repeat(size) }] });
  console.log(`${machine()}; ${COUNT} requests at once per row; Redis used_memory deltas per request`);
  console.log(`${"prompt".padStart(8)} ${"in flight".padStart(12)} ${"answered".padStart(12)}`);
  try {
    for (let i = 0; i < 20; i++) await client.post("/v1/chat/completions", chat(KB)); // warm up
    for (const size of [KB, 10 * KB, 100 * KB]) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const before = await usedMemory();
      process.kill(gateway.pids.worker, "SIGSTOP");
      const answered = Promise.all(
        Array.from({ length: COUNT }, () => client.post("/v1/chat/completions", chat(size))),
      );
      const [queue] = (await redis.keys("*:inference-echo:meta")).map((key) => key.replace(/:meta$/, ""));
      const waiting = async () =>
        (await redis.zcard(`${queue}:prioritized`)) +
        (await redis.llen(`${queue}:wait`)) +
        (await redis.llen(`${queue}:active`));
      for (let i = 0; i < 600 && (await waiting()) < COUNT; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const inFlight = (await usedMemory()) - before;
      process.kill(gateway.pids.worker, "SIGCONT");
      await answered;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const after = (await usedMemory()) - before;
      const perRequest = (bytes: number) => `${(bytes / COUNT / KB).toFixed(1)} KB`;
      console.log(
        `${`${size / KB} KB`.padStart(8)} ${perRequest(inFlight).padStart(12)} ${perRequest(after).padStart(12)}`,
      );
    }
  } finally {
    await gateway.close();
    redis.disconnect();
    await server.kill();
  }
});
