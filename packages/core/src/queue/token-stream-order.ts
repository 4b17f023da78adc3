import { tokenEndContext, tokenTextContext, type TokenStreamEntry } from "./token-stream.ts";

/** A token stream entry that is not the next one of its attempt: dropped, repeated or moved in Redis. */
export class TokenStreamOutOfOrder extends Error {
  override name = "TokenStreamOutOfOrder";
}

/** What to do with the next entry of a request's token stream. */
export type TokenStreamStep =
  /** Text of an attempt a restart has voided: skip it. */
  | { kind: "void" }
  /** A retry started over from nothing. */
  | { kind: "restart" }
  /** Open `sealed` (base64) with `context`: a delta, or the attempt's end. */
  | { kind: "text" | "end"; sealed: string; context: string };

/**
 * The reader's side of a token stream's order: an attempt's deltas come
 * numbered 0, 1, 2… and its end names how many came before it, each sealed
 * for its number. An entry whose number is not the next one (a gap, a
 * repeat, a reordering) is refused here; one whose number was altered no
 * longer opens under the context this returns.
 */
export class TokenStreamOrder {
  #attempt = 1;
  #next = 0;
  #ended = false;

  constructor(private readonly requestId: string) {}

  follow(entry: TokenStreamEntry): TokenStreamStep {
    if (entry.attempt < this.#attempt) return { kind: "void" };
    if (entry.type === "restart") {
      if (entry.attempt === this.#attempt) throw new TokenStreamOutOfOrder(`attempt ${entry.attempt} restarted twice`);
      this.#attempt = entry.attempt;
      this.#next = 0;
      return { kind: "restart" };
    }
    if (entry.attempt > this.#attempt) {
      throw new TokenStreamOutOfOrder(`attempt ${entry.attempt} sent ${entry.type} before it restarted the stream`);
    }
    if (entry.type === "end") {
      if (entry.count !== this.#next) {
        throw new TokenStreamOutOfOrder(`the end says ${entry.count} deltas; ${this.#next} arrived`);
      }
      this.#ended = true;
      return { kind: "end", sealed: entry.sealed, context: tokenEndContext(this.requestId, this.#attempt, this.#next) };
    }
    if (entry.seq !== this.#next) {
      throw new TokenStreamOutOfOrder(`delta ${entry.seq} arrived where ${this.#next} was due`);
    }
    this.#next += 1;
    return { kind: "text", sealed: entry.sealed, context: tokenTextContext(this.requestId, this.#attempt, entry.seq) };
  }

  /**
   * After the read stopped by itself: the current attempt's end must have
   * come (the reader stops at any end entry, and one of a voided attempt or
   * a forged one would cut the answer short without a word).
   */
  assertEnded() {
    if (!this.#ended) throw new TokenStreamOutOfOrder(`the stream stopped before attempt ${this.#attempt} ended`);
  }
}
