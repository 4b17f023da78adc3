"use client";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { useTRPC } from "@/lib/trpc.ts";

const STORAGE_KEY = "aiaas.playground.key";
/** A key this close to its expiry is not used for a new call. */
const MARGIN_MS = 2 * 60_000;

interface StoredKey {
  id: string;
  tenantId: string;
  sessionTag: string;
  secret: string;
  expiresAt: number;
}

function parseStored(text: string | null): StoredKey | null {
  try {
    const value: unknown = JSON.parse(text ?? "null");
    if (!value || typeof value !== "object") return null;
    const key = value as Record<string, unknown>;
    const valid =
      typeof key.id === "string" &&
      typeof key.tenantId === "string" &&
      typeof key.sessionTag === "string" &&
      typeof key.secret === "string" &&
      typeof key.expiresAt === "number";
    return valid ? (value as StoredKey) : null;
  } catch {
    return null;
  }
}

// This tab's session storage as a store React can read during render (null on the server).
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const snapshot = () => sessionStorage.getItem(STORAGE_KEY);
const serverSnapshot = () => null;
function store(key: StoredKey) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(key));
  for (const listener of listeners) listener();
}

const usable = (key: StoredKey | null, tenantId: string, sessionTag: string): key is StoredKey =>
  key !== null && key.tenantId === tenantId && key.sessionTag === sessionTag && key.expiresAt - Date.now() > MARGIN_MS;

// One request for a key at a time, for every panel of the page.
let minting: Promise<StoredKey> | null = null;

/**
 * The playground's API key: one per console session and organisation, kept in
 * this tab's session storage until it is about to expire, so reloading the
 * page does not make another. `getKey({ fresh: true })` replaces one the API
 * refused (revoked, or expired early).
 */
export function usePlaygroundKey({ tenantId, sessionTag }: { tenantId: string | undefined; sessionTag: string }) {
  const trpc = useTRPC();
  const { mutateAsync, error } = useMutation(trpc.playground.sessionKey.mutationOptions());
  const storedText = useSyncExternalStore(subscribe, snapshot, serverSnapshot);
  const stored = useMemo(() => parseStored(storedText), [storedText]);

  const getKey = useCallback(
    async ({ fresh = false }: { fresh?: boolean } = {}): Promise<string> => {
      if (!tenantId) throw new Error("Choose an organisation first.");
      const current = parseStored(snapshot());
      if (!fresh && usable(current, tenantId, sessionTag)) return current.secret;
      minting ??= mutateAsync()
        .then((created) => {
          const next = {
            id: created.id,
            tenantId: created.tenantId,
            sessionTag,
            secret: created.secret,
            expiresAt: created.expiresAt.getTime(),
          };
          store(next);
          return next;
        })
        .finally(() => {
          minting = null;
        });
      return (await minting).secret;
    },
    [mutateAsync, tenantId, sessionTag],
  );

  const expiresAt =
    stored && tenantId && stored.tenantId === tenantId && stored.sessionTag === sessionTag
      ? new Date(stored.expiresAt)
      : null;
  return { getKey, expiresAt, error };
}
