import { toNextJsHandler } from "better-auth/next-js";
import { handleAuthRequest } from "@aiaas/core/auth";
import { services } from "@/server/services.ts";

export const dynamic = "force-dynamic";

const handler = (request: Request) => handleAuthRequest(services().auth, request);

/** better-auth: sign-up, sign-in, sign-out, sessions, email verification, password reset. */
export const { GET, POST } = toNextJsHandler(handler);
