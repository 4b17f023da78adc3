import type { Job, JobsOptions, Queue } from "bullmq";
import { newId } from "../ids.ts";
import { inferenceJobOptions, type InferenceJob } from "./inference-job.ts";
import { GROUP_JOB_NAME, priorityBand, type InferenceGroupJob } from "./job-groups.ts";

export interface CoalesceOptions {
  /** The most requests one job carries; 1: every request travels alone. */
  maxMembers: number;
  /** How long a group forms at most after its first member (0: until the end of the event loop's turn). */
  windowMs: number;
  /** Whether every live worker serving the model runs groups: none is sent where a worker could not. */
  accepted: (model: string) => boolean;
  /** Told of every job added: its model and how many requests it carries (for /metrics). */
  added?: (model: string, requests: number) => void;
}

/** Every request alone, as before coalescing. */
export const noCoalescing: CoalesceOptions = { maxMembers: 1, windowMs: 0, accepted: () => false };

/** The BullMQ job a request travels in: its own, or its group's. */
export interface Carrier {
  job: Job;
  grouped: boolean;
}

interface Member {
  payload: InferenceJob;
  priority: number | undefined;
  resolve: (carrier: Carrier) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalescing at the producer (decision 0019): requests for the same model
 * and version that arrive while that model already has work in flight from
 * this process wait for the end of the event loop's turn (or a window of
 * `windowMs`), then travel together as one job: one add, one fetch, one
 * finish and, from the worker, one reply message for those that end
 * together. A request for an idle model is added at once, alone. A group of
 * one is added as that request's own job.
 */
export class JobCoalescer {
  readonly #forming = new Map<string, Member[]>();

  constructor(
    private readonly options: CoalesceOptions,
    private readonly queue: (model: string) => Queue,
  ) {}

  /** Whether a request for `model` waits for company: the model has other work in flight here, and workers take groups. */
  groups(model: string, busy: boolean): boolean {
    return this.options.maxMembers > 1 && busy && this.options.accepted(model);
  }

  /** Adds a request alone, at once. */
  async alone(payload: InferenceJob, priority: number | undefined): Promise<Carrier> {
    const job = await this.queue(payload.model).add(
      payload.task,
      payload,
      this.#jobOptions(payload.requestId, priority),
    );
    this.options.added?.(payload.model, 1);
    return { job, grouped: false };
  }

  /** Adds a request to the group forming for its model, version and priority band. */
  join(payload: InferenceJob, priority: number | undefined): Promise<Carrier> {
    // No priority (BullMQ's wait list, ahead of every prioritised job) is a band of its own.
    const band = priority === undefined ? "none" : priorityBand(priority);
    const key = `${payload.model}\n${payload.version ?? ""}\n${band}`;
    return new Promise<Carrier>((resolve, reject) => {
      let members = this.#forming.get(key);
      if (!members) {
        const forming: Member[] = [];
        this.#forming.set(key, (members = forming));
        const flush = () => {
          if (this.#forming.get(key) === forming) this.#send(key, forming);
        };
        if (this.options.windowMs > 0) setTimeout(flush, this.options.windowMs);
        else setImmediate(flush);
      }
      members.push({ payload, priority, resolve, reject });
      if (members.length >= this.options.maxMembers) this.#send(key, members);
    });
  }

  #send(key: string, members: Member[]) {
    this.#forming.delete(key);
    const [first] = members;
    if (!first) return;
    const added =
      members.length === 1 ? this.alone(first.payload, first.priority).then(({ job }) => job) : this.#addGroup(members);
    added.then(
      (job) => {
        for (const member of members) member.resolve({ job, grouped: members.length > 1 });
      },
      (error: unknown) => {
        for (const member of members) member.reject(error);
      },
    );
  }

  async #addGroup(members: Member[]): Promise<Job> {
    const group = newId("jobGroup");
    const data: InferenceGroupJob = { v: 1, group, members: members.map(({ payload }) => payload) };
    // The group runs at its members' best priority: they share a band, so none moves ahead by half its own.
    const [first] = members;
    const priority = first?.priority === undefined ? undefined : Math.min(...members.map((m) => m.priority ?? 0));
    const model = members[0]?.payload.model ?? "";
    const job = await this.queue(model).add(GROUP_JOB_NAME, data, this.#jobOptions(group, priority));
    this.options.added?.(model, members.length);
    return job;
  }

  #jobOptions(jobId: string, priority: number | undefined): JobsOptions {
    return { ...inferenceJobOptions, jobId, priority };
  }
}
