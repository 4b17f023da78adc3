import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button.tsx";

export const metadata: Metadata = { title: "Page not found" };

/** Any address the console does not have, and every `notFound()`: says so and leads back. */
export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12 text-center">
      <p className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">404</p>
      <h1 className="mt-2 text-2xl font-bold tracking-tight">This page does not exist</h1>
      <p className="mt-2 max-w-md text-zinc-600">The link may be out of date, or the address mistyped.</p>
      <Button asChild className="mt-6">
        <Link href="/">Back to the console</Link>
      </Button>
    </main>
  );
}
