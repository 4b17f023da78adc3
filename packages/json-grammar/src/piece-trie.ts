import { advance, minRemaining, type GrammarState } from "./json-automaton.ts";

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Pieces whose text ends here. */
  pieces: number[];
}

const newNode = (): TrieNode => ({ children: new Map(), pieces: [] });

/**
 * A vocabulary's pieces (each token's text) by their characters: the pieces
 * a state allows are found by one walk that drops a whole branch at the first
 * character the grammar refuses, rather than by trying every piece.
 */
export class PieceTrie {
  readonly #root = newNode();

  constructor(texts: readonly string[]) {
    texts.forEach((text, piece) => {
      if (text.length === 0) return;
      let node = this.#root;
      for (const char of text) {
        let child = node.children.get(char);
        if (!child) {
          child = newNode();
          node.children.set(char, child);
        }
        node = child;
      }
      node.pieces.push(piece);
    });
  }

  /**
   * The pieces that continue `state` and leave at most `budget` characters
   * to finish the document, with the state each leads to.
   */
  allowed(state: GrammarState, budget: number): Map<number, GrammarState> {
    const out = new Map<number, GrammarState>();
    const walk = (node: TrieNode, at: GrammarState) => {
      for (const [char, child] of node.children) {
        const next = advance(at, char);
        if (next === undefined) continue;
        if (child.pieces.length > 0 && minRemaining(next) <= budget)
          for (const piece of child.pieces) out.set(piece, next);
        walk(child, next);
      }
    };
    walk(this.#root, state);
    return out;
  }
}
