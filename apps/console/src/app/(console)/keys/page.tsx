import type { Metadata } from "next";
import { KeysPanel } from "@/components/keys/keys-panel.tsx";

export const metadata: Metadata = { title: "API keys" };

export default function KeysPage() {
  return <KeysPanel />;
}
