"use client";

import { Button } from "@/components/ui/button.tsx";

/**
 * A page that failed on the server (the database restarting, say): says so
 * and offers to try again, instead of the framework's bare error screen.
 * The failure itself is in the console's log, under `digest`.
 */
export default function PageError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12 text-center">
      <p className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">Something went wrong</p>
      <h1 className="mt-2 text-2xl font-bold tracking-tight">This page could not be loaded</h1>
      <p className="mt-2 max-w-md text-zinc-600">
        The problem is on our side, and nothing you entered was lost. Try again in a moment.
      </p>
      {error.digest ? <p className="mt-2 text-xs text-zinc-400">Reference: {error.digest}</p> : null}
      <Button className="mt-6" onClick={retry}>
        Try again
      </Button>
    </main>
  );
}
