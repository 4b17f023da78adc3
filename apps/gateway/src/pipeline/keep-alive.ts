/**
 * The items of `source`, and `null` each time `everyMs` passes without one:
 * a streamed answer still waiting in the queue says so, so that proxies and
 * load balancers that drop silent connections keep it. The source's pending
 * read is kept across the ticks, never restarted or lost.
 */
export async function* withKeepAlive<T>(source: AsyncIterable<T>, everyMs: number): AsyncGenerator<T | null> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<"tick">((resolve) => (timer = setTimeout(() => resolve("tick"), everyMs)));
      const first = await Promise.race([next, tick]).finally(() => clearTimeout(timer));
      if (first === "tick") {
        yield null;
        continue;
      }
      if (first.done) return;
      yield first.value;
      next = iterator.next();
    }
  } finally {
    await iterator.return?.();
  }
}
