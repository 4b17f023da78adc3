// Used by the Prisma CLI where the network allows (`prisma migrate deploy`,
// `prisma studio`); offline, `npm run db:migrate` applies the same folder.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "npm run aiaas -- seed" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
