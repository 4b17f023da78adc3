import { describe, expect, it } from "vitest";
import { tokenEndContext, tokenTextContext, type TokenStreamEntry } from "./token-stream.ts";
import { TokenStreamOrder, TokenStreamOutOfOrder } from "./token-stream-order.ts";

const text = (seq: number, attempt = 1): TokenStreamEntry => ({ type: "text", sealed: `s${seq}`, seq, attempt });
const end = (count: number, attempt = 1): TokenStreamEntry => ({ type: "end", sealed: "e", count, attempt });
const restart = (attempt: number): TokenStreamEntry => ({ type: "restart", attempt });

/** Follows `entries` in order; the kind of each step, or the reason the first refused one was refused. */
function follow(entries: TokenStreamEntry[]) {
  const order = new TokenStreamOrder("req_1");
  const kinds: string[] = [];
  try {
    for (const entry of entries) kinds.push(order.follow(entry).kind);
  } catch (error) {
    if (!(error instanceof TokenStreamOutOfOrder)) throw error;
    kinds.push(`refused: ${error.message}`);
  }
  return kinds;
}

describe("the order of a token stream", () => {
  it("opens each delta for its own place, and the end for the number of deltas before it", () => {
    const order = new TokenStreamOrder("req_1");
    expect(order.follow(text(0))).toEqual({ kind: "text", sealed: "s0", context: tokenTextContext("req_1", 1, 0) });
    expect(order.follow(text(1))).toEqual({ kind: "text", sealed: "s1", context: tokenTextContext("req_1", 1, 1) });
    expect(order.follow(end(2))).toEqual({ kind: "end", sealed: "e", context: tokenEndContext("req_1", 1, 2) });
    expect(tokenTextContext("req_1", 1, 1)).not.toBe(tokenTextContext("req_1", 2, 1));
  });

  it("refuses a gap, a repeat and a reordering", () => {
    expect(follow([text(0), text(2)])).toEqual(["text", "refused: delta 2 arrived where 1 was due"]);
    expect(follow([text(0), text(1), text(1)])).toEqual(["text", "text", "refused: delta 1 arrived where 2 was due"]);
    expect(follow([text(1), text(0)])).toEqual(["refused: delta 1 arrived where 0 was due"]);
  });

  it("refuses an end that arrives early or late", () => {
    expect(follow([text(0), end(2)])).toEqual(["text", "refused: the end says 2 deltas; 1 arrived"]);
    expect(follow([text(0), text(1), end(1)])).toEqual(["text", "text", "refused: the end says 1 deltas; 2 arrived"]);
  });

  it("voids an earlier attempt's text after a restart, and counts the new attempt from 0", () => {
    expect(follow([text(0), restart(2), text(1, 1), text(0, 2), text(1, 2), end(2, 2)])).toEqual([
      "text",
      "restart",
      "void",
      "text",
      "text",
      "end",
    ]);
  });

  it("refuses a later attempt's text before its restart, and a restart repeated", () => {
    expect(follow([text(0), text(0, 2)])).toEqual([
      "text",
      "refused: attempt 2 sent text before it restarted the stream",
    ]);
    expect(follow([restart(2), text(0, 2), restart(2)])).toEqual([
      "restart",
      "text",
      "refused: attempt 2 restarted twice",
    ]);
  });

  it("knows whether the current attempt ended: a voided attempt's end does not count", () => {
    const order = new TokenStreamOrder("req_1");
    for (const entry of [text(0), restart(2), end(1, 1)]) order.follow(entry);
    expect(() => order.assertEnded()).toThrow("the stream stopped before attempt 2 ended");
    order.follow(end(0, 2));
    expect(() => order.assertEnded()).not.toThrow();
  });
});
