import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Button } from "@/components/ui/button.tsx";
import { consoleEnv } from "@/server/env.ts";
import { sessionUser } from "@/server/session.ts";

export const dynamic = "force-dynamic";

const endpoints = [
  ["POST", "/v1/chat/completions", "Chat with a text model, streamed or not"],
  ["POST", "/v1/completions", "Complete a prompt"],
  ["POST", "/v1/embeddings", "Embed sentences for search and clustering"],
  ["POST", "/v1/ocr", "Read the text in an image"],
  ["GET", "/v1/models", "The models your key may use"],
] as const;

export default async function HomePage() {
  if (await sessionUser(await headers())) redirect("/dashboard");
  const gatewayUrl = consoleEnv().PUBLIC_GATEWAY_URL.replace(/\/$/, "");
  const curl = `curl ${gatewayUrl}/v1/models \\
  -H "Authorization: Bearer $AIAAS_API_KEY"`;
  return (
    <main className="mx-auto max-w-3xl px-6 py-16">
      <p className="text-sm font-semibold uppercase tracking-wide text-indigo-600">aiaas</p>
      <h1 className="mt-2 text-4xl font-bold tracking-tight">Open models behind an OpenAI-compatible API</h1>
      <p className="mt-4 text-lg text-zinc-600">
        Create an API key, point the official <code className="font-mono">openai</code> client at{" "}
        <code className="rounded bg-zinc-200 px-1 font-mono">{gatewayUrl}/v1</code>, and run text, embedding and OCR
        models on our inference workers.
      </p>
      <div className="mt-8 flex gap-3">
        <Button asChild>
          <Link href="/sign-up">Create an account</Link>
        </Button>
        <Button asChild variant="secondary">
          <Link href="/sign-in">Sign in</Link>
        </Button>
      </div>

      <section aria-labelledby="api" className="mt-12">
        <h2 id="api" className="text-xl font-semibold">
          The API
        </h2>
        <ul className="mt-4 divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white">
          {endpoints.map(([method, path, what]) => (
            <li key={path} className="flex items-baseline gap-4 px-4 py-3">
              <span className="w-12 font-mono text-xs font-semibold text-zinc-500">{method}</span>
              <code className="font-mono text-sm">{path}</code>
              <span className="ml-auto text-sm text-zinc-500">{what}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="try" className="mt-12">
        <h2 id="try" className="text-xl font-semibold">
          Try it
        </h2>
        <pre className="mt-4 overflow-x-auto rounded-lg bg-zinc-900 p-4 font-mono text-sm text-zinc-100">{curl}</pre>
      </section>
    </main>
  );
}
