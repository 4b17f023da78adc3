"use client";
import { Button } from "@/components/ui/button.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { useHydrated } from "@/lib/use-hydrated.ts";

export function SignOutButton({ className }: { className?: string }) {
  const hydrated = useHydrated();
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
