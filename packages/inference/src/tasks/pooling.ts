/**
 * sentence-transformers pooling of one row of token states
 * ([length, hidden], row-major) into a sentence vector.
 */
export function poolTokenStates(
  states: Float32Array,
  hidden: number,
  tokens: number,
  pooling: "mean" | "cls",
  normalize: boolean,
): Float32Array {
  const vector = new Float32Array(hidden);
  if (pooling === "cls") {
    vector.set(states.subarray(0, hidden));
  } else {
    for (let t = 0; t < tokens; t++) {
      const offset = t * hidden;
      for (let h = 0; h < hidden; h++) vector[h] = (vector[h] ?? 0) + (states[offset + h] ?? 0);
    }
    for (let h = 0; h < hidden; h++) vector[h] = (vector[h] ?? 0) / Math.max(tokens, 1);
  }
  if (normalize) {
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm) || 1;
    for (let h = 0; h < hidden; h++) vector[h] = (vector[h] ?? 0) / norm;
  }
  return vector;
}
