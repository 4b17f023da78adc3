// @aiaas/core/batches: the Files and Batches APIs' storage: sealed files, batch input, state and leases.
export { cancelBatchAudited, listBatches, readBatchFile } from "../batches/batch-views.ts";
export {
  fileColumns,
  fileContext,
  filePurposes,
  newFileId,
  purgeExpiredFiles,
  readFileContent,
  storeFile,
  type FilePurpose,
  type NewFile,
} from "../batches/stored-files.ts";
export {
  batchEndpoints,
  MAX_BATCH_LINES,
  parseBatchInput,
  type BatchEndpoint,
  type BatchInputError,
  type BatchInputLine,
} from "../batches/batch-input.ts";
export {
  activeBatchStatuses,
  BATCH_OUTPUT_TTL_MS,
  batchLineContext,
  cancelBatch,
  claimBatch,
  COMPLETION_WINDOW_MS,
  createBatch,
  failBatch,
  finalizeBatch,
  newBatchId,
  recordBatchLine,
  releaseBatchLease,
  renewBatchLease,
  startBatch,
  writtenLines,
  type BatchRow,
  type NewBatch,
} from "../batches/batch-state.ts";
