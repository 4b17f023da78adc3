"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { useTRPC } from "@/lib/trpc.ts";

export function AcceptInvitation({ invitationId, email }: { invitationId: string; email: string }) {
  const trpc = useTRPC();
  const invitation = useQuery(trpc.invitations.get.queryOptions({ invitationId }));
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({ onSuccess: () => window.location.assign("/dashboard") }),
  );

  if (invitation.isPending) return <p className="text-sm text-zinc-500">Loading invitation…</p>;
  if (invitation.error) {
    return (
      <>
        <h1 className="text-xl font-semibold">Invitation unavailable</h1>
        <Alert tone="error">{invitation.error.message}</Alert>
        <p className="text-sm text-zinc-600">You are signed in as {email}.</p>
      </>
    );
  }
  return (
    <>
      <h1 className="text-xl font-semibold">Join {invitation.data.tenantName}</h1>
      <p className="text-sm text-zinc-600">
        {invitation.data.inviter} invited you as <strong>{invitation.data.role}</strong>.
      </p>
      {accept.error && <Alert tone="error">{accept.error.message}</Alert>}
      <Button className="w-full" disabled={accept.isPending} onClick={() => accept.mutate({ invitationId })}>
        {accept.isPending ? "Joining…" : `Join ${invitation.data.tenantName}`}
      </Button>
    </>
  );
}
