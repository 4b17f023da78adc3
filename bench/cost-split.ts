// Where a request's cost goes, for the echo model's chat completion through
// our gateway: CPU per request of each process (gateway, worker, Redis,
// Postgres, this load generator; read from /proc) at concurrency 1 and 32,
// and Redis's own time per request by command, each script named (from a
// short second window with SLOWLOG logging every command, which slows Redis,
// so only its shares are meant to be compared), and how busy the machine's
// CPUs were meanwhile (below 100 %, something other than CPU holds requests
// back), with the machine's own CPU time per request beside the processes'
// sum. Medians over rounds.
//   npx tsx bench/cost-split.ts [seconds per measurement, default 3] [rounds, default 3]
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Redis } from "ioredis";
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from "@aiaas/core/quota";
import { startBenchGateway } from "./lib/bench-gateway.ts";
import { appendTo, localServers, machine, median, withBenchDatabase } from "./lib/bench-stack.ts";
import { jsonPoster } from "./lib/http-client.ts";
import { load } from "./lib/load.ts";
import { cpuMs, pgrep } from "./lib/proc-cpu.ts";

const SECONDS = Number(process.argv[2] ?? 3);
const ROUNDS = Number(process.argv[3] ?? 3);
const body = JSON.stringify({ model: "echo", messages: [{ role: "user", content: "Let there be light" }] });
/** Script names by SHA1: BullMQ's (its dist/esm/scripts) and ours. */
function scriptNames(): Map<string, string> {
  const sha = (content: string) => createHash("sha1").update(content).digest("hex");
  const names = new Map([ADMIT_SCRIPT, SETTLE_SCRIPT].map((script) => [script.sha, `aiaas ${script.name}`]));
  const dir = join(dirname(createRequire(import.meta.url).resolve("bullmq")), "scripts");
  for (const file of readdirSync(dir).filter((name) => /^[a-zA-Z]+-\d+\.js$/.test(name))) {
    const content = /const content = `([\s\S]*?)`;\n/.exec(readFileSync(join(dir, file), "utf8"))?.[1];
    if (content)
      names.set(sha(content.replaceAll("\\`", "`").replaceAll("\\\\", "\\")), `bullmq ${file.split("-")[0]}`);
  }
  return names;
}

await withBenchDatabase(async (stack) => {
  const ours = await startBenchGateway(stack, { models: "echo" });
  const client = jsonPoster(ours.url, { authorization: `Bearer ${ours.secret}` });
  const run = async () => (await client.post("/v1/chat/completions", body), 1);
  const redis = new Redis(localServers().redisUrl);
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info("server"))?.[1] ?? 0);
  const groups = {
    gateway: () => [ours.pids.gateway],
    worker: () => [ours.pids.worker],
    redis: () => [redisPid],
    postgres: () => pgrep("postgres"),
  };
  const cpu = new Map<string, number[]>();
  const rps = new Map<number, number[]>();
  const busy = new Map<number, number[]>();
  const machineCpu = new Map<number, number[]>();
  for (let i = 0; i < 100; i++) await run(); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const concurrency of [1, 32]) {
      const before = Object.entries(groups).map(
        ([name, pids]) => [name, pids().reduce((sum, pid) => sum + cpuMs(pid), 0)] as const,
      );
      const self = process.cpuUsage();
      const result = await load(run, concurrency, SECONDS);
      const { requests } = result;
      const used = process.cpuUsage(self);
      appendTo(busy, concurrency, 100 * result.busy);
      appendTo(machineCpu, concurrency, result.cpuPerRequest);
      const record = (name: string, ms: number) => appendTo(cpu, `${concurrency}|${name}`, ms / requests);
      for (const [name, start] of before)
        record(name, groups[name as keyof typeof groups]().reduce((sum, pid) => sum + cpuMs(pid), 0) - start);
      record("load generator", (used.user + used.system) / 1000);
      appendTo(rps, concurrency, result.rps);
    }
  }

  // Redis's time by command: log every command for one short window per concurrency.
  const names = scriptNames();
  const config = async (name: string) => (await redis.config("GET", name))[1] ?? "";
  const saved = { threshold: await config("slowlog-log-slower-than"), length: await config("slowlog-max-len") };
  const redisTime = new Map<number, { name: string; calls: number; us: number }[]>();
  for (const concurrency of [1, 32]) {
    await redis.config("SET", "slowlog-max-len", "1000000");
    await redis.config("SET", "slowlog-log-slower-than", "0");
    await redis.slowlog("RESET");
    const result = await load(run, concurrency, 1);
    await redis.config("SET", "slowlog-log-slower-than", saved.threshold);
    const entries = (await redis.call("SLOWLOG", "GET", "-1")) as [number, number, number, string[]][];
    await redis.config("SET", "slowlog-max-len", saved.length);
    const byName = new Map<string, { calls: number; us: number }>();
    for (const [, , us, args] of entries) {
      const command = (args[0] ?? "").toLowerCase();
      if (command === "slowlog" || command === "config") continue;
      const name = command === "evalsha" ? (names.get(args[1] ?? "") ?? `script ${args[1]?.slice(0, 8)}`) : command;
      const entry = byName.get(name) ?? { calls: 0, us: 0 };
      entry.calls += 1;
      entry.us += us;
      byName.set(name, entry);
    }
    const requests = result.rps;
    redisTime.set(
      concurrency,
      [...byName]
        .map(([name, { calls, us }]) => ({ name, calls: calls / requests, us: us / requests }))
        .sort((a, b) => b.us - a.us),
    );
  }

  console.log(`${machine()}; ${ROUNDS} rounds × ${SECONDS} s per measurement; medians over rounds`);
  console.log("CPU per request (ms), echo chat completion through the gateway:");
  console.log(
    `${"process".padEnd(16)} ${"c1".padStart(7)} ${"share".padStart(6)} ${"c32".padStart(7)} ${"share".padStart(6)}`,
  );
  const processes = [...Object.keys(groups), "load generator"];
  const total = (concurrency: number) =>
    processes.reduce((sum, name) => sum + median(cpu.get(`${concurrency}|${name}`) ?? []), 0);
  const cell = (concurrency: number, name: string) => {
    const value = median(cpu.get(`${concurrency}|${name}`) ?? []);
    return `${value.toFixed(3).padStart(7)} ${`${((100 * value) / total(concurrency)).toFixed(0)} %`.padStart(6)}`;
  };
  for (const name of processes) console.log(`${name.padEnd(16)} ${cell(1, name)} ${cell(32, name)}`);
  console.log(
    `${"total".padEnd(16)} ${total(1).toFixed(3).padStart(7)} ${"".padStart(6)} ${total(32).toFixed(3).padStart(7)}`,
  );
  console.log(`req/s: c1 ${median(rps.get(1) ?? []).toFixed(0)}, c32 ${median(rps.get(32) ?? []).toFixed(0)}`);
  const busyAt = (concurrency: number) => `${median(busy.get(concurrency) ?? []).toFixed(0)} %`;
  console.log(`machine's CPUs busy: c1 ${busyAt(1)}, c32 ${busyAt(32)}`);
  // On a VM that reports no steal time, a process may also be charged for time its vCPU was held by the host.
  const machineAt = (concurrency: number) => median(machineCpu.get(concurrency) ?? []).toFixed(3);
  console.log(
    `machine's CPU per request (/proc/stat): c1 ${machineAt(1)} ms, c32 ${machineAt(32)} ms; where the processes' sum is higher, compare their shares`,
  );
  for (const concurrency of [1, 32]) {
    const rows = redisTime.get(concurrency) ?? [];
    const sum = rows.reduce((acc, row) => acc + row.us, 0);
    console.log(`Redis time per request at c${concurrency}, by command (logging on; shares): ${sum.toFixed(0)} µs`);
    for (const row of rows.slice(0, 8))
      console.log(
        `  ${row.name.padEnd(28)} ${row.calls.toFixed(2).padStart(5)} calls ${`${((100 * row.us) / sum).toFixed(0)} %`.padStart(5)}`,
      );
  }

  redis.disconnect();
  await client.close();
  await ours.close();
});
