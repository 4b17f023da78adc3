"use client";
import { useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button.tsx";
import { authClient } from "@/lib/auth-client.ts";

const subscribe = () => () => {};

export function SignOutButton({ className }: { className?: string }) {
  // False in the server's HTML, true once hydrated: a click before then would do nothing, so it cannot happen.
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return (
    <Button
      variant="secondary"
      size="sm"
      className={className}
      disabled={!hydrated}
      onClick={() => void authClient.signOut().then(() => window.location.assign("/sign-in"))}
    >
      Sign out
    </Button>
  );
}
