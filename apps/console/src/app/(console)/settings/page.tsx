import type { Metadata } from "next";
import { SettingsForm } from "@/components/settings/settings-form.tsx";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return <SettingsForm />;
}
