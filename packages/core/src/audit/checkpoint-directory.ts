import { mkdir, open, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuditCheckpoint } from "./audit-checkpoints.ts";

/**
 * Checkpoints as JSON lines in a directory outside the database
 * (AUDIT_CHECKPOINT_DIR: a volume, or an object store mounted there), a file
 * per writer and day, each line synced to disk before the next is written.
 */
export class CheckpointDirectory {
  constructor(readonly dir: string) {}

  async append(checkpoint: AuditCheckpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const writer = checkpoint.writer.replace(/[^\w.-]/g, "_");
    const file = await open(join(this.dir, `${checkpoint.at.slice(0, 10)}-${writer}.jsonl`), "a", 0o640);
    try {
      await file.appendFile(`${JSON.stringify(checkpoint)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  /** Every checkpoint written; lines that are not one (damaged, half-written) are counted, not returned. */
  async readAll(): Promise<{ checkpoints: AuditCheckpoint[]; unreadable: number }> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    const checkpoints: AuditCheckpoint[] = [];
    let unreadable = 0;
    for (const name of names.filter((entry) => entry.endsWith(".jsonl")).sort()) {
      for (const line of (await readFile(join(this.dir, name), "utf8")).split("\n")) {
        if (!line.trim()) continue;
        try {
          checkpoints.push(JSON.parse(line) as AuditCheckpoint);
        } catch {
          unreadable += 1;
        }
      }
    }
    return { checkpoints, unreadable };
  }
}
