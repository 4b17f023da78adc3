import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { TokenStreamReader } from "./token-stream-reader.ts";
import { visibleSealer } from "../testing/visible-sealer.ts";
import { TokenStreamWriter } from "./token-stream.ts";

const redis = createRedis(testRedisUrl(), "client", "token-stream-reader-test");
const reading = createRedis(testRedisUrl(), "client", "token-stream-reader-test-blocking");
afterAll(() => {
  redis.disconnect();
  reading.disconnect();
});

async function collect(stream: AsyncGenerator<{ type: string }>) {
  const types: string[] = [];
  for await (const entry of stream) types.push(entry.type);
  return types;
}

describe("one reader for every token stream", () => {
  it("follows many streams over one blocking connection, a new one without waiting out the block", async () => {
    const prefix = `tsr${randomBytes(4).toString("hex")}`;
    // A block far longer than the test: a stream followed later must unblock the read to be seen.
    const reader = new TokenStreamReader(reading, redis, prefix, 30_000);
    const quiet = collect(reader.read("req_quiet"));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = performance.now();
    const busy = collect(reader.read("req_busy"));
    const writer = new TokenStreamWriter(redis, prefix, "req_busy", 1, visibleSealer);
    writer.text("sealed");
    await writer.end("stop");
    expect(await busy).toEqual(["text", "end"]);
    expect(performance.now() - started).toBeLessThan(5_000);

    await new TokenStreamWriter(redis, prefix, "req_quiet", 1, visibleSealer).end("length");
    expect(await quiet).toEqual(["end"]);
    await redis.del(`${prefix}:tokens:req_busy`, `${prefix}:tokens:req_quiet`);
  });

  it("stops following a stream whose reader gives up", async () => {
    const prefix = `tsr${randomBytes(4).toString("hex")}`;
    const reader = new TokenStreamReader(reading, redis, prefix, 200);
    const stop = new AbortController();
    const abandoned = collect(reader.read("req_gone", stop.signal));
    setTimeout(() => stop.abort(), 50);
    expect(await abandoned).toEqual([]);
  });
});
