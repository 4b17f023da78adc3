export { compileJsonSchema, anyJsonObject, UnsupportedSchemaError, type GrammarNode } from "./compile-schema.ts";
export { startState, advance, advanceText, canFinish, minRemaining, type GrammarState } from "./json-automaton.ts";
export { PieceTrie } from "./piece-trie.ts";
