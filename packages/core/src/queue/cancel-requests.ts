import type { Redis } from "ioredis";

const CANCEL_TTL_SECONDS = 600;

export const cancelChannel = (prefix: string) => `${prefix}:cancel`;
export const cancelKey = (prefix: string, requestId: string) => `${prefix}:cancelled:${requestId}`;

/**
 * Asks whichever worker runs a request to stop it (a client went away).
 * The key covers a job that has not started yet; the message, one that has.
 */
export async function requestCancel(redis: Redis, prefix: string, requestId: string) {
  await redis
    .multi()
    .set(cancelKey(prefix, requestId), "1", "EX", CANCEL_TTL_SECONDS)
    .publish(cancelChannel(prefix), requestId)
    .exec();
}

/**
 * The worker's side: one subscription for all of its jobs. `watch` returns
 * a signal that aborts when the request is cancelled, now or later.
 */
export class CancelWatcher {
  readonly #controllers = new Map<string, AbortController>();

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** `subscriber` becomes a subscriber connection: give it one of its own. */
  static async start(subscriber: Redis, redis: Redis, prefix: string) {
    const watcher = new CancelWatcher(redis, prefix);
    subscriber.on("message", (_channel: string, requestId: string) => watcher.#controllers.get(requestId)?.abort());
    await subscriber.subscribe(cancelChannel(prefix));
    return watcher;
  }

  /**
   * A signal that aborts when the request is cancelled from now on, and, with
   * `cancelledEarlier`, if it was cancelled before it started. That lookup is
   * a round trip the job need not wait for while it prepares: `checked`
   * resolves once it has answered (the signal aborted if it found a cancel).
   */
  watch(
    requestId: string,
    { cancelledEarlier }: { cancelledEarlier: boolean },
  ): { signal: AbortSignal; checked: Promise<void>; done: () => void } {
    const controller = new AbortController();
    this.#controllers.set(requestId, controller);
    const checked = cancelledEarlier
      ? this.redis.exists(cancelKey(this.prefix, requestId)).then(
          (found) => {
            if (found === 1) controller.abort();
          },
          () => {}, // Redis away: the job runs; a cancel sent later still reaches it by message.
        )
      : Promise.resolve();
    return { signal: controller.signal, checked, done: () => this.#controllers.delete(requestId) };
  }
}
