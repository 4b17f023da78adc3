import * as ort from "onnxruntime-node";
import type { ModelFolder } from "../read-model-folder.ts";
import { floatData, int64Rows } from "../tasks/ort-tensors.ts";
import { testSessionOptions } from "./zoo.ts";

/**
 * The decoder's log softmax at every position of `ids`, from one run of its
 * graph over the whole sequence with an empty cache: the reference for the
 * log probabilities the KV-cache loop reports. Row i is the distribution of
 * the token after ids[0..i].
 */
export async function fullSequenceLogprobs(folder: ModelFolder, ids: number[]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(folder.files.onnx ?? "", testSessionOptions);
  try {
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows([ids], ids.length, 0),
      attention_mask: int64Rows([ids.map(() => 1)], ids.length, 0),
      position_ids: int64Rows([ids.map((_, i) => i)], ids.length, 0),
    };
    for (const name of session.inputNames.filter((input) => input.startsWith("past_key_values.")))
      feeds[name] = new ort.Tensor("float32", new Float32Array(0), [1, 4, 0, 32]);
    const logits = floatData((await session.run(feeds)).logits, "logits");
    const vocabulary = logits.length / ids.length;
    return ids.map((_, position) => {
      const row = Array.from(logits.subarray(position * vocabulary, (position + 1) * vocabulary));
      const max = Math.max(...row);
      const logZ = max + Math.log(row.reduce((sum, value) => sum + Math.exp(value - max), 0));
      return row.map((value) => value - logZ);
    });
  } finally {
    await session.release();
  }
}
