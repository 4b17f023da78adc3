// An operator's change while 500 failed sign-ins arrive at once. Each failed
// sign-in is audited, and the events of one chain take that chain's lock:
// failed sign-ins chain by account (accounts:0…15), apart from the platform
// chain that operator changes use. Per round, the operator change's p50:
// alone; during 500 parallel failed sign-ins through better-auth's real
// handler in another process (a console under attack; each guess from its own
// address, so no throttle refuses them); and during 500 parallel audit events
// on the platform chain from that process (what failed sign-ins cost when they
// chained there). Ratios to alone, median over rounds.
//   npx tsx bench/sign-in-audit-contention.ts [rounds, default 3]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "@aiaas/db";
import { appendAuditEvent } from "@aiaas/core/audit";
import { createAuth } from "@aiaas/core/auth";
import { createRedis, systemActor } from "@aiaas/core/platform";
import { authRequests, newEmail, randomIp } from "@aiaas/core/testing";
import { appendTo, machine, median, withBenchDatabase } from "./lib/bench-stack.ts";

const FLOOD = 500;
const baseUrl = "http://localhost:3999";
type Flood = "sign-ins" | "platform";

/** The other process: on each line naming a flood, runs it and answers "done". */
async function floodProcess(databaseUrl: string, redisUrl: string) {
  const db = createPrismaClient({ databaseUrl, maxConnections: 10 });
  const redis = createRedis(redisUrl, "client", "bench-sign-in");
  await redis.connect();
  const auth = createAuth({
    databaseUrl,
    db,
    redis,
    baseUrl,
    secret: randomBytes(32).toString("hex"),
    limits: { signInsPerMinute: 1_000_000, signUpsPerMinute: 1_000_000 },
  });
  const signIn = authRequests(auth, baseUrl);
  const floods: Record<Flood, () => Promise<unknown>> = {
    "sign-ins": async () => {
      // Each from its own address, at an account of its own: no throttle refuses them.
      const response = await signIn("/sign-in/email", { email: newEmail(), password: "wrong" }, randomIp());
      if (response.status !== 401) throw new Error(`a failed sign-in answered ${response.status}`);
    },
    platform: () =>
      db.$transaction((tx) =>
        appendAuditEvent(
          { tenantId: null, action: "auth.sign_in_failed", result: "failure" },
          { actor: systemActor("guess@example.com") },
          tx,
        ),
      ),
  };
  console.log("ready");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "exit") break;
    await Promise.all(Array.from({ length: FLOOD }, floods[line as Flood]));
    console.log("done");
  }
  redis.disconnect();
  await db.$disconnect();
}

async function measure(rounds: number) {
  await withBenchDatabase(async (stack) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--flood", stack.databaseUrl, stack.redisUrl],
      { stdio: ["pipe", "pipe", "ignore"] },
    );
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => (await lines.next()).value as string | undefined;
    if ((await next()) !== "ready") throw new Error("the flood process did not start");

    const db = createPrismaClient({ databaseUrl: stack.databaseUrl, maxConnections: 1 });
    const operatorChange = async () => {
      const started = performance.now();
      await db.$transaction((tx) =>
        appendAuditEvent({ tenantId: null, action: "plan.update" }, { actor: systemActor("bench operator") }, tx),
      );
      return performance.now() - started;
    };
    /** Operator changes one after another while the flood lasts; only those begun before it ended count. */
    const during = async (flood: Flood) => {
      child.stdin.write(`${flood}\n`);
      let over = false;
      const done = next().then(() => (over = true));
      const samples: number[] = [];
      while (!over) {
        const took = await operatorChange();
        if (!over) samples.push(took);
      }
      await done;
      return { p50: median(samples), samples: samples.length };
    };

    const ratios = new Map<Flood, number[]>();
    for (let round = 1; round <= rounds; round++) {
      const samples = [];
      for (let i = 0; i < 20; i++) samples.push(await operatorChange());
      const alone = median(samples);
      const parts = [`round ${round}: operator change p50 ${alone.toFixed(1)} ms alone`];
      for (const flood of ["sign-ins", "platform"] as const) {
        const { p50, samples: count } = await during(flood);
        appendTo(ratios, flood, p50 / alone);
        parts.push(`${p50.toFixed(1)} ms during ${flood} (×${(p50 / alone).toFixed(2)}, ${count} samples)`);
      }
      console.log(parts.join("; "));
    }
    child.stdin.write("exit\n");
    await db.$disconnect();

    const ratio = (flood: Flood) => `×${median(ratios.get(flood) ?? []).toFixed(2)}`;
    console.log(`\n${machine()}, ${rounds} rounds`);
    console.log(`| an operator's change (p50), during | ratio to alone (median of rounds) |`);
    console.log(`| --- | ---: |`);
    console.log(`| ${FLOOD} parallel failed sign-ins (audited in the accounts' chains) | ${ratio("sign-ins")} |`);
    console.log(
      `| ${FLOOD} parallel events on the platform chain (where they were audited before) | ${ratio("platform")} |`,
    );
  });
}

if (process.argv[2] === "--flood") await floodProcess(process.argv[3] ?? "", process.argv[4] ?? "");
else await measure(Number(process.argv[2] ?? 3));
