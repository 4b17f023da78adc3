import { fileURLToPath } from "node:url";

/** Repository root and the files the CLI works with, independent of cwd. */
const root = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

export const paths = {
  root: root(""),
  localEnv: root(".data/local.env"),
  demoFile: root(".data/demo.json"),
  modelStore: root(".data/models"),
  auditCheckpoints: root(".data/audit-checkpoints"),
  schema: root("prisma/schema.prisma"),
  migrations: root("prisma/migrations"),
};
