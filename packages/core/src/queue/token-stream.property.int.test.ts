import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { propertyRuns } from "../testing/property-runs.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { visibleSealer, visiblySealed } from "../testing/visible-sealer.ts";
import {
  parseTokenStreamEntry,
  tokenEndContext,
  tokenStreamKey,
  tokenTextContext,
  TokenStreamWriter,
  type TokenStreamEntry,
} from "./token-stream.ts";
import { TokenStreamReader } from "./token-stream-reader.ts";

const redis = createRedis(testRedisUrl(), "client", "token-stream-property");
const reading = createRedis(testRedisUrl(), "client", "token-stream-property-reader");
const prefix = `tsp${randomBytes(4).toString("hex")}`;
const reader = new TokenStreamReader(reading, redis, prefix, 200);
afterAll(() => {
  redis.disconnect();
  reading.disconnect();
});

type Step =
  | { op: "text"; delta: string }
  /** Lets the event loop turn, so that appends leave in several script calls. */
  | { op: "pause"; ms: number }
  /** Redis forgets its scripts: the next append falls back to the script's text. */
  | { op: "flush" }
  | { op: "restart" };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map((delta) => ({ op: "text" as const, delta })),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map((ms) => ({ op: "pause" as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ op: "flush" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "restart" as const }) },
);

const stored = async (requestId: string) =>
  (await redis.xrange(tokenStreamKey(prefix, requestId), "-", "+")).map(([, fields]) => parseTokenStreamEntry(fields));

describe("the token stream's append script against its model", () => {
  it("stores and relays every entry once, in order, whatever the turns, restarts and forgotten scripts", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 60 }),
        fc.constantFrom("stop", "length", "cancelled"),
        fc.integer({ min: 1, max: 3 }),
        async (steps, finishReason, attempt) => {
          const requestId = `req_tsp${(n += 1)}`;
          const relayed: TokenStreamEntry[] = [];
          const relaying = (async () => {
            for await (const entry of reader.read(requestId)) relayed.push(entry);
          })();
          const writer = new TokenStreamWriter(redis, prefix, requestId, attempt, visibleSealer);
          const model: TokenStreamEntry[] = [];
          let seq = 0;
          for (const next of steps) {
            if (next.op === "text") {
              writer.text(next.delta);
              const context = tokenTextContext(requestId, attempt, seq);
              model.push({ type: "text", sealed: visiblySealed(next.delta, context), seq, attempt });
              seq += 1;
            } else if (next.op === "pause") await new Promise((resolve) => setTimeout(resolve, next.ms));
            else if (next.op === "flush") await redis.script("FLUSH");
            else {
              await writer.restart();
              model.push({ type: "restart", attempt });
              expect(await stored(requestId)).toEqual(model);
            }
          }
          await writer.end(finishReason);
          const end = visiblySealed(finishReason, tokenEndContext(requestId, attempt, seq));
          model.push({ type: "end", sealed: end, count: seq, attempt });
          expect(await stored(requestId)).toEqual(model);
          await relaying;
          expect(relayed).toEqual(model);
          const ttl = await redis.ttl(tokenStreamKey(prefix, requestId));
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(300);
        },
      ),
      { numRuns: propertyRuns(25) },
    );
  }, 600_000);
});
