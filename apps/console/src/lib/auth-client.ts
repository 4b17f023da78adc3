"use client";
import { twoFactorClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/** Talks to /api/auth on the same origin. Sign-in handles the two-factor step itself (sign-in-form.tsx). */
export const authClient = createAuthClient({ plugins: [twoFactorClient()] });
