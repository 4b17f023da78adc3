import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { modelPullJob, queues, type ModelPullProgress, type ModelPullResult } from "@aiaas/core/queue";
import { pullAndRegister, type PullEnv } from "@aiaas/model-registry";

export interface ModelPullOptions {
  db: Db;
  connection: Redis;
  prefix: string;
  env: PullEnv;
  onDone: (job: Job, result: ModelPullResult) => void;
  onFailed: (job: Job | undefined, error: Error) => void;
  onError: (error: Error) => void;
}

/** How often a download's progress is written to its job: the console polls every second. */
const PROGRESS_EVERY_MS = 500;

/**
 * The pulls asked for in /admin/models, one at a time per worker (workers
 * have the model store): from the workers' hub, checked by running it once,
 * registered as the operator who asked. Progress goes to the job, where the
 * console reads it. A pull fails once, saying why; asking again resumes the
 * download.
 */
export function startModelPulls(options: ModelPullOptions) {
  const run = async (job: Job): Promise<ModelPullResult> => {
    const parsed = modelPullJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid_payload: ${parsed.error.message}`);
    const { hubId, revision, id, version, prices, actor, requestId } = parsed.data;
    let total = 0;
    let reported = 0;
    const report = (progress: ModelPullProgress, force = false) => {
      if (!force && Date.now() - reported < PROGRESS_EVERY_MS) return;
      reported = Date.now();
      job.updateProgress(progress).catch(options.onError);
    };
    try {
      const pulled = await pullAndRegister(
        {
          source: hubId,
          revision,
          id,
          version,
          prices: {
            input: prices.input === undefined ? undefined : BigInt(prices.input),
            output: prices.output === undefined ? undefined : BigInt(prices.output),
            image: prices.image === undefined ? undefined : BigInt(prices.image),
          },
        },
        options.env,
        { db: options.db, change: { actor, requestId } },
        {
          onStart: (bytes) => {
            total = bytes;
            report({ stage: "download", received: 0, total }, true);
          },
          onProgress: (progress) => report({ stage: "download", ...progress }),
          onCheck: () => report({ stage: "check", received: total, total }, true),
        },
      );
      return {
        slug: pulled.slug,
        version: pulled.version,
        outcome: pulled.outcome,
        aliases: pulled.aliases,
        variants: pulled.variants.map(({ version: name, aliases }) => ({ version: name, aliases })),
        bytes: pulled.bytes,
      };
    } catch (error) {
      // What the hub, the folder or the check said is the operator's to read; nothing is retried by itself.
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
  };
  const worker = new Worker(queues.modelPulls.name(), run, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
  });
  worker.on("completed", (job: Job, result: ModelPullResult) => options.onDone(job, result));
  worker.on("failed", options.onFailed);
  worker.on("error", options.onError);
  return { close: () => worker.close() };
}
