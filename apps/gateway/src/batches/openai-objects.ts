import type { BatchRow } from "@aiaas/core/batches";

const seconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : null);

export interface FileMeta {
  id: string;
  purpose: string;
  filename: string;
  bytes: number;
  createdAt: Date;
  expiresAt: Date | null;
}

/** OpenAI's File object. */
export const fileObject = (file: FileMeta) => ({
  id: file.id,
  object: "file" as const,
  bytes: file.bytes,
  created_at: seconds(file.createdAt),
  expires_at: seconds(file.expiresAt),
  filename: file.filename,
  purpose: file.purpose,
  status: "processed" as const,
  status_details: null,
});

/** OpenAI's Batch object. */
export const batchObject = (batch: BatchRow) => ({
  id: batch.id,
  object: "batch" as const,
  endpoint: batch.endpoint,
  errors: batch.errors ?? null,
  input_file_id: batch.inputFileId,
  completion_window: batch.completionWindow,
  status: batch.status,
  output_file_id: batch.outputFileId,
  error_file_id: batch.errorFileId,
  created_at: seconds(batch.createdAt),
  in_progress_at: seconds(batch.inProgressAt),
  expires_at: seconds(batch.expiresAt),
  finalizing_at: seconds(batch.finalizingAt),
  completed_at: seconds(batch.completedAt),
  failed_at: seconds(batch.failedAt),
  expired_at: seconds(batch.expiredAt),
  cancelling_at: seconds(batch.cancellingAt),
  cancelled_at: seconds(batch.cancelledAt),
  request_counts: { total: batch.total, completed: batch.completed, failed: batch.failed },
  metadata: batch.metadata ?? null,
});

/** OpenAI's cursor list: newest first, `after` an id of the previous page. */
export function cursorPage<T extends { id: string }>(rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  return {
    object: "list" as const,
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: rows.length > limit,
  };
}
