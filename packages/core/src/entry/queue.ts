// @aiaas/core/queue: The job contract between gateway and worker: queues, payloads, replies, token streams, cancels, worker registry.
export {
  inferenceJob,
  inferenceInputs,
  inferenceOutputs,
  inferenceResult,
  inferenceJobOptions,
  inferenceTasks,
  jobReceipt,
  payloadContext,
  withoutInput,
  type JobReceipt,
  type InferenceJob,
  type InferenceInput,
  type InferenceOutput,
  type GeneratedChoice,
  type InferenceResult,
  type InferenceTask,
} from "../queue/inference-job.ts";
export { queues, DEFAULT_QUEUE_PREFIX } from "../queue/queues.ts";
export { sealJson, openJson, float32ToBase64, base64ToFloat32 } from "../queue/sealed-json.ts";
export { TokenStreamWriter, tokenStreamKey, type TokenStreamEntry } from "../queue/token-stream.ts";
export { TokenStreamOrder, TokenStreamOutOfOrder } from "../queue/token-stream-order.ts";
export { TokenStreamReader } from "../queue/token-stream-reader.ts";
export { CancelWatcher, requestCancel, cancelChannel, cancelKey } from "../queue/cancel-requests.ts";
export {
  publishWorkerStatus,
  removeWorkerStatus,
  listLiveWorkers,
  workerStatus,
  type WorkerStatus,
  type WorkerStatusInput,
} from "../queue/worker-registry.ts";
export { unrecoverable, parseJobFailure, jobFailureCodes, type JobFailureCode } from "../queue/job-failure.ts";
export { InferenceClient, SubmittedJob, type SubmitOptions, type Completed } from "../queue/inference-client.ts";
export { noCoalescing, type CoalesceOptions } from "../queue/job-coalescer.ts";
export {
  GROUP_JOB_NAME,
  groupEnvelope,
  groupWithoutInputs,
  inferenceGroupJob,
  memberIdsOf,
  type GroupReceipt,
  type InferenceGroupJob,
  type MemberOutcome,
} from "../queue/job-groups.ts";
export { publishReply, ReplyBatcher } from "../queue/job-replies.ts";
export { listWorkers, type WorkerRow, type WorkerState } from "../workers/list-workers.ts";
export {
  maintenanceJob,
  maintenanceJobOptions,
  maintenanceTasks,
  type MaintenanceJob,
  type MaintenanceTask,
} from "../queue/maintenance-job.ts";
export {
  modelPullJob,
  modelPullProgress,
  modelPullResult,
  type ModelPullJob,
  type ModelPullProgress,
  type ModelPullResult,
} from "../queue/model-pull-job.ts";
export { FairShare } from "../queue/fair-share.ts";
