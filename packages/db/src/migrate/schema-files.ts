import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export interface SchemaFile {
  path: string;
  content: string;
}

/** Reads a schema.prisma file, or every *.prisma file under a multi-file schema folder. */
export async function readSchemaFiles(schemaPath: string): Promise<SchemaFile[]> {
  if (!(await stat(schemaPath)).isDirectory()) {
    return [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }];
  }
  const entries = await readdir(schemaPath, { recursive: true });
  const paths = entries
    .filter((entry) => entry.endsWith(".prisma"))
    .sort()
    .map((entry) => join(schemaPath, entry));
  if (paths.length === 0) throw new Error(`No .prisma files under ${schemaPath}`);
  return Promise.all(
    paths.map(async (path) => ({
      path,
      content: await readFile(path, "utf8"),
    })),
  );
}
