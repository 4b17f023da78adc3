// What checking an API key costs before any I/O: format + checksum
// (parseApiKey) and the keyed hash used for lookup (hashApiKey), against a
// plain SHA-256 of the same string as the in-run baseline.
import { createHash } from "node:crypto";
import { generateApiKey, hashApiKey, parseApiKey } from "@aiaas/core/keys";
import { machine, median } from "./lib/bench-stack.ts";

const ROUNDS = 15;
const OPS_PER_ROUND = 20_000;
const pepper = "bench-pepper-0123456789abcdef0123456789abcdef";
const keys = Array.from({ length: 1024 }, () => generateApiKey("live").secret);

const cases: Record<string, (key: string) => unknown> = {
  "sha256 (baseline)": (key) => createHash("sha256").update(key).digest("hex"),
  parseApiKey: (key) => parseApiKey(key),
  hashApiKey: (key) => hashApiKey(key, pepper),
  "parse + hash": (key) => parseApiKey(key) && hashApiKey(key, pepper),
};

const nsPerOp: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
let sink = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < OPS_PER_ROUND; i++) if (run(keys[i & 1023] ?? "")) sink++;
    nsPerOp[name]?.push(Number(process.hrtime.bigint() - started) / OPS_PER_ROUND);
  }
}

const baseline = median(nsPerOp["sha256 (baseline)"] ?? []);
console.log(`${machine()}; ${ROUNDS} rounds × ${OPS_PER_ROUND} ops, medians`);
console.log(`${"case".padEnd(20)} ${"µs/op".padStart(8)} ${"ops/s".padStart(12)} ${"× baseline".padStart(11)}`);
for (const [name, samples] of Object.entries(nsPerOp)) {
  const ns = median(samples);
  console.log(
    `${name.padEnd(20)} ${(ns / 1000).toFixed(2).padStart(8)} ${Math.round(1e9 / ns)
      .toLocaleString("en")
      .padStart(12)} ${(ns / baseline).toFixed(2).padStart(11)}`,
  );
}
if (sink === 0) console.log("(no work done)");
