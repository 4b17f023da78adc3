import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers.tsx";
import "./globals.css";

// Rendered per request, every page: Next puts the response's CSP nonce (src/proxy.ts) only on what it renders then.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "aiaas console", template: "%s · aiaas" },
  description: "Run open models behind an OpenAI-compatible API.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
