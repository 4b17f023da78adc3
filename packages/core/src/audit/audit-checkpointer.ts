import type { KeyObject } from "node:crypto";
import type { DbOrTx } from "@aiaas/db";
import { chainHeads, signCheckpoint } from "./audit-checkpoints.ts";
import type { CheckpointDirectory } from "./checkpoint-directory.ts";

interface Log {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Every `everyMs` (a minute by default), signs the heads of the chains that
 * moved since its last checkpoint (all of them on its first) and writes
 * them to the checkpoint directory. Runs in every worker; each writes its
 * own files.
 */
export class AuditCheckpointer {
  readonly #written = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DbOrTx,
    private readonly directory: CheckpointDirectory,
    private readonly privateKey: KeyObject,
    private readonly writer: string,
    private readonly log: Log,
  ) {}

  /** Writes one checkpoint of what moved; resolves with how many heads it held. */
  async checkpoint(now = new Date()): Promise<number> {
    const moved = (await chainHeads(this.db)).filter((head) => this.#written.get(head.chain) !== head.hash);
    if (moved.length === 0) return 0;
    await this.directory.append(
      signCheckpoint({ at: now.toISOString(), writer: this.writer, heads: moved }, this.privateKey),
    );
    for (const head of moved) this.#written.set(head.chain, head.hash);
    return moved.length;
  }

  start(everyMs: number) {
    const run = () => {
      this.checkpoint().catch((error: unknown) =>
        // Retried at the next tick; meanwhile `audit verify` vouches only for what was written.
        this.log.error({ err: error, dir: this.directory.dir }, "could not write an audit checkpoint"),
      );
    };
    run();
    this.#timer = setInterval(run, everyMs);
    this.#timer.unref();
  }

  /** Stops the timer and writes a last checkpoint, so a clean shutdown leaves nothing unvouched. */
  async stop() {
    clearInterval(this.#timer);
    await this.checkpoint();
  }
}
