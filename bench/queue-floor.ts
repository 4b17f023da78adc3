// The floor of a queue hop: BullMQ add, a worker in this process that does
// nothing, the completion seen by the producer through QueueEvents, at
// concurrency 1 (p50/p90/p99) and 32 (req/s). bench/peer reports it beside
// the gateways; this runs it alone.
//   npx tsx bench/queue-floor.ts [seconds per measurement, default 3] [rounds, default 3]
import { Redis } from "ioredis";
import { localServers, machine } from "./lib/bench-stack.ts";
import { queueFloor } from "./lib/queue-floor.ts";
import { interleavedRounds, ms, perSecond } from "./lib/rounds.ts";

const SECONDS = Number(process.argv[2] ?? 3);
const ROUNDS = Number(process.argv[3] ?? 3);

const redis = new Redis(localServers().redisUrl, { maxRetriesPerRequest: null });
const floor = await queueFloor(redis, 64);
const { figure } = await interleavedRounds({ floor: floor.run }, [1, 32], SECONDS, ROUNDS);
console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s, medians`);
console.log(
  `queue floor: c1 p50 ${ms(figure(1, "floor", (r) => r.p50))} p90 ${ms(figure(1, "floor", (r) => r.p90))} p99 ${ms(
    figure(1, "floor", (r) => r.p99),
  )} ms; c32 ${perSecond(figure(32, "floor", (r) => r.rps))} req/s`,
);
await floor.close();
redis.disconnect();
