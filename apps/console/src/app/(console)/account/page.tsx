import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form.tsx";
import { ProfileForm } from "@/components/account/profile-form.tsx";
import { SessionsCard } from "@/components/account/sessions-card.tsx";
import { TwoFactorSetup } from "@/components/account/two-factor-setup.tsx";
import { requireSession } from "@/server/require-session.ts";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireSession();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your account</h1>
      <ProfileForm name={user.name} email={user.email} />
      <ChangePasswordForm />
      <TwoFactorSetup enabled={user.twoFactorEnabled} />
      <SessionsCard currentSessionId={user.sessionId} />
    </div>
  );
}
