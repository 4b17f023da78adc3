import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { SessionUser } from "@aiaas/api";
import { sessionUser } from "./session.ts";

/** The signed-in user of the page being rendered; signed-out visitors go to /sign-in. */
export async function requireSession(): Promise<SessionUser> {
  const user = await sessionUser(await headers());
  if (!user) redirect("/sign-in");
  return user;
}
