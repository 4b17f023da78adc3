/**
 * An upper bound of a prompt's tokens, for reserving limits before the
 * worker counts them: no tokenizer of ours makes more tokens than
 * characters, plus what templates and special tokens add.
 */
export const promptTokenBound = (texts: readonly string[]) =>
  texts.reduce((sum, text) => sum + text.length, 0) + 8 + 8 * texts.length;
