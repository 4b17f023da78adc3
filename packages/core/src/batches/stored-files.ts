import { randomBytes } from "node:crypto";
import type { DbOrTx } from "@aiaas/db";
import type { TenantKeyring } from "../crypto/tenant-keyring.ts";

/** What a file is for: uploaded as a batch's input, or produced as its output or errors. */
export const filePurposes = ["batch", "batch_output"] as const;
export type FilePurpose = (typeof filePurposes)[number];

/** A file's metadata: what lists and retrievals read (never its content). */
export const fileColumns = {
  id: true,
  tenantId: true,
  purpose: true,
  filename: true,
  bytes: true,
  createdAt: true,
  expiresAt: true,
} as const;

/** OpenAI's form of a file id. */
export const newFileId = () => `file-${randomBytes(12).toString("hex")}`;

/** The associated data a file's bytes are sealed under: bound to its id (and, by the keyring, its tenant). */
export const fileContext = (id: string) => `file:${id}`;

export interface NewFile {
  tenantId: string;
  purpose: FilePurpose;
  filename: string;
  content: Uint8Array;
  expiresAt?: Date | null;
  id?: string;
}

/** Seals a file's bytes with its tenant's data key and stores them: what is at rest opens only with that key. */
export async function storeFile(db: DbOrTx, keyring: TenantKeyring, file: NewFile) {
  const id = file.id ?? newFileId();
  const sealed = await keyring.seal(file.tenantId, file.content, fileContext(id));
  return db.file.create({
    data: {
      id,
      tenantId: file.tenantId,
      purpose: file.purpose,
      filename: file.filename,
      bytes: file.content.byteLength,
      content: new Uint8Array(sealed),
      expiresAt: file.expiresAt ?? null,
    },
    select: fileColumns,
  });
}

/** A file's bytes, opened; null when the tenant has no such file. */
export async function readFileContent(db: DbOrTx, keyring: TenantKeyring, tenantId: string, id: string) {
  const row = await db.file.findFirst({ where: { id, tenantId }, select: { content: true } });
  if (!row) return null;
  return keyring.open(tenantId, row.content, fileContext(id));
}
