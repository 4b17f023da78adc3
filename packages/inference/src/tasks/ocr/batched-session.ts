import * as ort from "onnxruntime-node";
import { DynamicBatcher, type BatchingOptions } from "../../batching/dynamic-batcher.ts";
import { floatData } from "../ort-tensors.ts";

interface Item {
  input: Float32Array;
  dims: number[];
  /** Width before padding to the bucket. */
  ownWidth: number;
}

/**
 * Looks like an ORT session to @gutenye/ocr-common (inputNames, outputNames,
 * run) but runs the [1, C, H, W] inputs of concurrent calls as one batch of
 * inputs of the same size. With `widthBucket`, each input is first padded on
 * the right (with its rightmost column) to a multiple of that width, alone
 * or not, so that text lines of similar widths batch and a line reads the
 * same whichever batch it is in; the output's steps beyond the line's own
 * width are cut off again.
 */
export class BatchedSession {
  readonly batcher: DynamicBatcher<Item, ort.Tensor>;

  constructor(
    private readonly session: ort.InferenceSession,
    batching: BatchingOptions,
    private readonly widthBucket?: number,
  ) {
    this.batcher = new DynamicBatcher(
      batching,
      (items) => this.#runBatch(items),
      (item) => item.dims.join("x"),
    );
  }

  get inputNames() {
    return this.session.inputNames;
  }

  get outputNames() {
    return this.session.outputNames;
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    const input = feeds[this.inputNames[0] ?? ""];
    if (!input) throw new Error("BatchedSession.run: no input tensor");
    return { [this.outputNames[0] ?? "output"]: await this.batcher.submit(this.#pad(input)) };
  }

  #pad(input: ort.Tensor): Item {
    const dims = input.dims.map(Number);
    const [, channels = 3, height = 0, ownWidth = 0] = dims;
    const data = floatData(input, "input");
    if (!this.widthBucket || ownWidth % this.widthBucket === 0) return { input: data, dims, ownWidth };
    const width = Math.ceil(ownWidth / this.widthBucket) * this.widthBucket;
    const padded = new Float32Array(channels * height * width);
    for (let row = 0; row < channels * height; row++) {
      const from = row * ownWidth;
      padded.set(data.subarray(from, from + ownWidth), row * width);
      padded.fill(data[from + ownWidth - 1] ?? 0, row * width + ownWidth, (row + 1) * width);
    }
    return { input: padded, dims: [1, channels, height, width], ownWidth };
  }

  async #runBatch(items: Item[]): Promise<ort.Tensor[]> {
    const [, ...shape] = items[0]?.dims ?? [];
    const size = items[0]?.input.length ?? 0;
    const data = new Float32Array(items.length * size);
    items.forEach((item, index) => data.set(item.input, index * size));
    const name = this.inputNames[0] ?? "x";
    const outputs = await this.session.run({ [name]: new ort.Tensor("float32", data, [items.length, ...shape]) });
    const output = outputs[this.outputNames[0] ?? ""];
    const values = floatData(output, "output");
    const dims = (output?.dims ?? []).map(Number);
    const perItem = values.length / items.length;
    const width = shape[2] ?? 1;
    return items.map((item, index) => {
      const slice = values.subarray(index * perItem, (index + 1) * perItem);
      if (!this.widthBucket || item.ownWidth === width)
        return new ort.Tensor("float32", slice.slice(), [1, ...dims.slice(1)]);
      // [batch, steps, classes]: keep the steps that cover the line's own width.
      const [, steps = 0, classes = 0] = dims;
      const ownSteps = Math.max(1, Math.round((steps * item.ownWidth) / width));
      return new ort.Tensor("float32", slice.slice(0, ownSteps * classes), [1, ownSteps, classes]);
    });
  }
}
