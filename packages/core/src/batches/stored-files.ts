import { randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "@aiaas/db";
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

/** Deletes the files whose time is up (a batch's output and errors, after 30 days), a thousand at a time. */
export async function purgeExpiredFiles(db: Db, now: Date = new Date()): Promise<number> {
  let purged = 0;
  for (;;) {
    const count = await db.$executeRaw`
      DELETE FROM files WHERE id IN (
        SELECT id FROM files WHERE expires_at <= ${now} ORDER BY expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED
      )`;
    purged += count;
    if (count < 1000) return purged;
  }
}
