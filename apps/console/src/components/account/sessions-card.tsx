"use client";
import { useCallback, useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";

interface SignedInSession {
  id: string;
  createdAt: Date;
  ipAddress?: string | null;
  userAgent?: string | null;
}

/** Where this account is signed in (ASVS 3.3.4), and a way to sign out everywhere but here. */
export function SessionsCard({ currentSessionId }: { currentSessionId: string }) {
  const [sessions, setSessions] = useState<SignedInSession[] | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    const { data, error } = await authClient.listSessions();
    if (error) return setMessage({ tone: "error", text: authErrorMessage(error, "Could not list your sessions.") });
    setSessions(data);
  }, []);
  useEffect(() => void load(), [load]);

  async function signOutOthers() {
    setPending(true);
    const { error } = await authClient.revokeOtherSessions();
    setPending(false);
    if (error) return setMessage({ tone: "error", text: authErrorMessage(error, "Could not sign the others out.") });
    setMessage({ tone: "success", text: "Signed out everywhere else." });
    await load();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Where you are signed in</CardTitle>
      </CardHeader>
      <CardBody className="space-y-4">
        {message && <Alert tone={message.tone}>{message.text}</Alert>}
        {sessions === null ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : (
          <ul aria-label="Sessions" className="divide-y divide-zinc-100 text-sm">
            {sessions.map((session) => (
              <li key={session.id} className="py-2">
                Since {new Date(session.createdAt).toLocaleString()}, from {session.ipAddress ?? "an unknown address"}
                {session.id === currentSessionId && <strong> (this browser)</strong>}
                <span className="block truncate text-xs text-zinc-500">{session.userAgent ?? ""}</span>
              </li>
            ))}
          </ul>
        )}
        <Button
          variant="secondary"
          onClick={() => void signOutOthers()}
          disabled={pending || (sessions?.length ?? 0) < 2}
        >
          Sign out everywhere else
        </Button>
      </CardBody>
    </Card>
  );
}
