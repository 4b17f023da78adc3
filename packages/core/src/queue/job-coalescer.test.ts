import type { Job, JobsOptions, Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import type { InferenceJob } from "./inference-job.ts";
import { JobCoalescer } from "./job-coalescer.ts";
import type { InferenceGroupJob } from "./job-groups.ts";

/** What reached the queue: each add's name, data and options (the queue's own behaviour is tested against Redis). */
function recordingQueue() {
  const added: { name: string; data: unknown; opts: JobsOptions }[] = [];
  const queue = {
    add: (name: string, data: unknown, opts: JobsOptions) => {
      added.push({ name, data, opts });
      return Promise.resolve({ id: opts.jobId } as Job);
    },
  } as unknown as Queue;
  return { added, queue: () => queue };
}

const payload = (n: number): InferenceJob => ({
  v: 1,
  requestId: `req_${n}`,
  tenantId: `ten_${n}`,
  model: "echo",
  task: "chat",
  input: "sealed",
  enqueuedAt: 1,
});

describe("coalescing", () => {
  it("groups only requests of one priority band, at the band's best priority; a group of one travels alone", async () => {
    const { added, queue } = recordingQueue();
    const coalescer = new JobCoalescer({ maxMembers: 32, windowMs: 0, accepted: () => true }, queue);
    const priorities = [1, 1, 2, 3, 5, 6, 7, 40, undefined, undefined];
    const carriers = await Promise.all(priorities.map((priority, n) => coalescer.join(payload(n), priority)));
    const groups = added.map(({ name, data, opts }) => ({
      name,
      priority: opts.priority,
      members: name === "group" ? (data as InferenceGroupJob).members.map(({ requestId }) => requestId) : [opts.jobId],
    }));
    expect(groups).toEqual([
      { name: "group", priority: 1, members: ["req_0", "req_1"] },
      { name: "group", priority: 2, members: ["req_2", "req_3"] },
      { name: "group", priority: 5, members: ["req_4", "req_5", "req_6"] },
      { name: "chat", priority: 40, members: ["req_7"] },
      { name: "group", priority: undefined, members: ["req_8", "req_9"] },
    ]);
    expect(carriers.map(({ grouped }) => grouped)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      true,
      true,
    ]);
  });

  it("sends a group the moment it is full, and waits for nothing when the model is idle", async () => {
    const { added, queue } = recordingQueue();
    const coalescer = new JobCoalescer({ maxMembers: 2, windowMs: 60_000, accepted: () => true }, queue);
    // A full group goes at once, without waiting out its (long) window.
    await Promise.all([coalescer.join(payload(1), 1), coalescer.join(payload(2), 1)]);
    expect(added).toHaveLength(1);
    expect(coalescer.groups("echo", false)).toBe(false);
    expect(coalescer.groups("echo", true)).toBe(true);
    expect(new JobCoalescer({ maxMembers: 1, windowMs: 0, accepted: () => true }, queue).groups("echo", true)).toBe(
      false,
    );
    expect(new JobCoalescer({ maxMembers: 8, windowMs: 0, accepted: () => false }, queue).groups("echo", true)).toBe(
      false,
    );
  });
});
