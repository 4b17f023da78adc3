"use client";
import { Button } from "@/components/ui/button.tsx";
import { authClient } from "@/lib/auth-client.ts";

export function SignOutButton({ className }: { className?: string }) {
  return (
    <Button
      variant="secondary"
      size="sm"
      className={className}
      onClick={() => void authClient.signOut().then(() => window.location.assign("/sign-in"))}
    >
      Sign out
    </Button>
  );
}
