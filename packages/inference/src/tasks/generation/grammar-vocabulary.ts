import { compileJsonSchema, anyJsonObject, PieceTrie, type GrammarNode } from "@aiaas/json-grammar";
import { LRUCache } from "lru-cache";
import type { TextTokenizer } from "../../text/text-tokenizer.ts";

/** `response_format` as a job carries it. */
export type ResponseFormat = { type: "json_object" } | { type: "json_schema"; schema: unknown };

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

/**
 * What constrained decoding samples from: every token whose text is whole
 * (no special tokens, no half of a multi-byte character), and, for a
 * vocabulary without them, one piece per printable ASCII character it
 * lacks. Those stand for the unknown token, the model's word for "a
 * character I do not have": they share its probability, and the model reads
 * the unknown token where one was written. So a model trained without "{" or
 * digits still writes JSON, its own vocabulary choosing the content.
 */
export class GrammarVocabulary {
  /** Each piece's text, and the model token it stands for. */
  readonly texts: string[] = [];
  readonly tokens: number[] = [];
  readonly trie: PieceTrie;
  /** Pieces that stand for the unknown token. */
  readonly unknown = new Set<number>();
  readonly #grammars = new LRUCache<string, GrammarNode>({ max: 64 });

  constructor(tokenizer: TextTokenizer, vocabulary: number) {
    const whole = new Set<string>();
    for (let id = 0; id < vocabulary; id++) {
      if (tokenizer.eosTokenIds.has(id) || id === tokenizer.unkTokenId) continue;
      const text = tokenizer.tokenText(id);
      if (text.length === 0 || text.includes("\uFFFD")) continue;
      this.texts.push(text);
      this.tokens.push(id);
      whole.add(text);
    }
    const unk = tokenizer.unkTokenId;
    if (unk !== undefined) {
      for (const char of PRINTABLE.filter((c) => !whole.has(c))) {
        this.unknown.add(this.texts.length);
        this.texts.push(char);
        this.tokens.push(unk);
      }
    }
    this.trie = new PieceTrie(this.texts);
  }

  /** The grammar of a response format, compiled once per schema (the vocabulary belongs to one model version). */
  grammar(format: ResponseFormat): GrammarNode {
    if (format.type === "json_object") return anyJsonObject;
    const key = JSON.stringify(format.schema);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      grammar = compileJsonSchema(format.schema);
      this.#grammars.set(key, grammar);
    }
    return grammar;
  }

  /**
   * The pieces' logits from the model's (adjusted) row, with every piece the
   * grammar does not allow at -Infinity; unknown-character pieces split the
   * unknown token's probability among those allowed.
   */
  logits(row: Float32Array, allowed: ReadonlySet<number>): Float32Array {
    const out = new Float32Array(this.texts.length).fill(-Infinity);
    let unknownAllowed = 0;
    for (const piece of allowed) if (this.unknown.has(piece)) unknownAllowed++;
    const split = Math.log(Math.max(unknownAllowed, 1));
    for (const piece of allowed) {
      const logit = row[this.tokens[piece] ?? 0] ?? -Infinity;
      out[piece] = this.unknown.has(piece) ? logit - split : logit;
    }
    return out;
  }
}
