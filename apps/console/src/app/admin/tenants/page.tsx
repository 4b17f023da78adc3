import { redirect } from "next/navigation";

/** The tenant list lives at /admin; this address (a tenant's page, one level up) leads there. */
export default function TenantsPage() {
  redirect("/admin");
}
