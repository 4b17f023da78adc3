import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form.tsx";

export const metadata: Metadata = { title: "Your account" };

export default function AccountPage() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your account</h1>
      <ChangePasswordForm />
    </div>
  );
}
