import type { Metadata } from "next";
import { ssoRefusalMessage } from "@/lib/sso-refusals.ts";
import { SignInForm } from "./sign-in-form.tsx";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ sso_error?: string }> }) {
  const { sso_error: code } = await searchParams;
  return <SignInForm ssoRefusal={ssoRefusalMessage(code)} />;
}
