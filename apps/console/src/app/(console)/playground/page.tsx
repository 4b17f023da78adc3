import { createHash } from "node:crypto";
import type { Metadata } from "next";
import { Playground } from "@/components/playground/playground.tsx";
import { consoleEnv } from "@/server/env.ts";
import { requireSession } from "@/server/require-session.ts";

export const metadata: Metadata = { title: "Playground" };
export const dynamic = "force-dynamic";

export default async function PlaygroundPage() {
  const user = await requireSession();
  // The browser reuses its playground key only within the session it was made for; it sees a digest, not the id.
  const sessionTag = createHash("sha256").update(user.sessionId).digest("base64url").slice(0, 22);
  return <Playground gatewayUrl={consoleEnv().PUBLIC_GATEWAY_URL.replace(/\/$/, "")} sessionTag={sessionTag} />;
}
