import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { AcceptInvitation } from "@/components/members/accept-invitation.tsx";
import { Button } from "@/components/ui/button.tsx";
import { sessionUser } from "@/server/session.ts";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await sessionUser(await headers());
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-4 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm">
        {user ? (
          <AcceptInvitation invitationId={id} email={user.email} />
        ) : (
          <>
            <h1 className="text-xl font-semibold">You have an invitation</h1>
            <p className="text-sm text-zinc-600">
              Sign in, or create an account with the email address the invitation was sent to, then open this link
              again.
            </p>
            <div className="flex gap-2">
              <Button asChild>
                <Link href="/sign-up">Create account</Link>
              </Button>
              <Button asChild variant="secondary">
                <Link href="/sign-in">Sign in</Link>
              </Button>
            </div>
          </>
        )}
      </div>
    </main>
  );
}
