import { z } from "zod";
import { inferenceJob, type InferenceJob } from "./inference-job.ts";

/** The BullMQ job name of a group; a single request's job is named after its task. */
export const GROUP_JOB_NAME = "group";

/** The most requests one group carries. */
export const MAX_GROUP_MEMBERS = 256;

/**
 * Requests for one model (and version) that a gateway coalesced into one
 * job (decision 0019): each member is the job that request would have been
 * alone (its own id, tenant, sealed input, stream, deadline and reply
 * channel), so the worker runs and answers each as it would a job of its
 * own; only the queue's round trips are shared.
 */
export const inferenceGroupJob = z.object({
  v: z.literal(1),
  group: z.string().regex(/^grp_[A-Za-z0-9]+$/, "not a group id"),
  members: z.array(inferenceJob).min(1).max(MAX_GROUP_MEMBERS),
});
export type InferenceGroupJob = z.infer<typeof inferenceGroupJob>;

/**
 * A group as the worker reads it: its members unread, each parsed on its
 * own, so that one member a worker cannot read fails alone, never its group.
 */
export const groupEnvelope = z.object({
  v: z.literal(1),
  group: z.string(),
  members: z.array(z.unknown()).min(1).max(MAX_GROUP_MEMBERS),
});

/** What became of one member: its receipt, its failure (`code: message`), or a retry as a job of its own. */
export const memberOutcome = z.union([
  z.object({ id: z.string(), failedReason: z.string() }),
  z.object({ id: z.string(), requeued: z.literal(true) }),
  z.object({ id: z.string(), receipt: z.unknown() }),
]);
export type MemberOutcome = z.infer<typeof memberOutcome>;

/** A finished group's return value, as BullMQ keeps it: each member's outcome, never its output. */
export const groupReceipt = z.object({ v: z.literal(1), members: z.array(memberOutcome) });
export type GroupReceipt = z.infer<typeof groupReceipt>;

/** A finished group's data as kept: the members' ids and tasks, without their sealed inputs. */
export const groupWithoutInputs = ({ members, ...group }: z.infer<typeof groupEnvelope>) => ({
  ...group,
  members: members.map((member) => {
    if (typeof member !== "object" || member === null) return member;
    const { input: _input, ...kept } = member as Record<string, unknown>;
    return kept;
  }),
});

/**
 * Fair share's priority band: requests join a group only with others of
 * the same band, and the group takes its members' best priority. A first
 * request in flight (priority 1) only ever travels with other first
 * requests; a later one moves ahead by less than half its priority.
 */
export const priorityBand = (priority: number) => Math.floor(Math.log2(Math.max(1, priority)));

/** The members' ids of a group job's data, however malformed the rest. */
export function memberIdsOf(data: unknown): { id: string; replyTo: string | undefined }[] {
  const members = (data as { members?: unknown } | undefined)?.members;
  if (!Array.isArray(members)) return [];
  return members.flatMap((member: Partial<InferenceJob> | null) =>
    typeof member?.requestId === "string" ? [{ id: member.requestId, replyTo: member.replyTo }] : [],
  );
}
