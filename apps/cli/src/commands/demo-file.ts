import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

const credentials = z.object({ email: z.string(), password: z.string() });

/** `.data/demo.json`: what a person needs to try the local installation. */
export const demoFileSchema = z.object({
  consoleUrl: z.string().optional(),
  gatewayUrl: z.string().optional(),
  operator: credentials,
  owner: credentials,
  apiKey: z.string().nullable(),
});
export type DemoFile = z.infer<typeof demoFileSchema>;

const newPassword = () => randomBytes(12).toString("base64url");

/** The demo file's contents, or fresh credentials when it is missing or unreadable. */
export function readDemoFile(file: string): DemoFile {
  if (existsSync(file)) {
    const parsed = demoFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (parsed.success) return parsed.data;
  }
  return {
    operator: { email: "operator@example.com", password: newPassword() },
    owner: { email: "owner@example.com", password: newPassword() },
    apiKey: null,
  };
}

export function writeDemoFile(file: string, demo: DemoFile) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
}
