import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { z } from "zod";
import type { Db } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { modelPullJob, modelPullProgress, modelPullResult } from "../queue/model-pull-job.ts";
import { queues } from "../queue/queues.ts";

/** What an operator asks for in the console. */
export const modelPullInput = modelPullJob.pick({ hubId: true, revision: true, id: true, version: true, prices: true });
export type ModelPullInput = z.input<typeof modelPullInput>;

const pullQueue = (redis: Redis, prefix: string) => new Queue(queues.modelPulls.name(), { connection: redis, prefix });

/**
 * Asks the workers to pull a model from their hub and register it: the job
 * is queued (a worker takes it, one pull at a time per worker) and the ask
 * is audited on the platform chain. The registration that follows is
 * audited as the same operator.
 */
export async function requestModelPull(db: Db, redis: Redis, prefix: string, raw: ModelPullInput, ctx: ChangeContext) {
  const input = modelPullInput.parse(raw);
  if (ctx.actor.type !== "operator") throw new DomainError("forbidden", "Only operators pull models.");
  const data = modelPullJob.parse({
    v: 1,
    ...input,
    actor: { type: "operator", id: ctx.actor.id, label: ctx.actor.label },
    requestId: ctx.requestId ?? null,
  });
  const id = newId("modelPull");
  const queue = pullQueue(redis, prefix);
  try {
    await queue.add("pull", data, { ...queues.modelPulls.options, jobId: id });
  } finally {
    await queue.close();
  }
  await db.$transaction((tx) =>
    appendAuditEvent(
      {
        tenantId: null,
        action: "model.pull",
        targetType: "model_pull",
        targetId: id,
        metadata: { hubId: input.hubId, revision: input.revision ?? null, id: input.id ?? null },
      },
      ctx,
      tx,
    ),
  );
  return { id };
}

/** The pulls of the last week, newest first: what was asked, how far it has come, what it registered or why it failed. */
export async function listModelPulls(redis: Redis, prefix: string) {
  const queue = pullQueue(redis, prefix);
  try {
    const jobs = await queue.getJobs(["active", "waiting", "completed", "failed"], 0, 49);
    const rows = await Promise.all(
      jobs.map(async (job) => {
        const data = modelPullJob.safeParse(job.data);
        const progress = modelPullProgress.safeParse(job.progress);
        const result = modelPullResult.safeParse(job.returnvalue);
        return {
          id: job.id ?? "",
          hubId: data.success ? data.data.hubId : "?",
          revision: data.success ? (data.data.revision ?? "main") : null,
          requestedBy: data.success ? data.data.actor.label : null,
          state: await job.getState(),
          progress: progress.success ? progress.data : null,
          result: result.success ? result.data : null,
          failure: job.failedReason || null,
          requestedAt: new Date(job.timestamp),
          finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
        };
      }),
    );
    return rows.sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime());
  } finally {
    await queue.close();
  }
}
