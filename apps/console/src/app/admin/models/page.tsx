import type { Metadata } from "next";
import { ModelCatalogue } from "@/components/admin/model-catalogue.tsx";

export const metadata: Metadata = { title: "Models" };

export default function AdminModelsPage() {
  return <ModelCatalogue />;
}
