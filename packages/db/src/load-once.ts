/**
 * One load per key at a time: a caller that finds a load of `key` under way
 * shares it, and the next call after it settles loads again. For caches
 * filled on a miss, so that a burst of misses reads Postgres once.
 */
export function loadOnce<T>(loading: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = loading.get(key);
  if (!pending) {
    pending = load().finally(() => loading.delete(key));
    loading.set(key, pending);
  }
  return pending;
}
