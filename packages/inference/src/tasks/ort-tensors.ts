import * as ort from "onnxruntime-node";

/** Row-major int64 tensor of `rows` padded to `width` with `pad`. */
export function int64Rows(rows: readonly (readonly number[])[], width: number, pad: number): ort.Tensor {
  const data = new BigInt64Array(rows.length * width).fill(BigInt(pad));
  rows.forEach((row, r) => row.forEach((value, c) => (data[r * width + c] = BigInt(value))));
  return new ort.Tensor("int64", data, [rows.length, width]);
}

/** The float data of an output tensor, checked. */
export function floatData(tensor: ort.Tensor | undefined, name: string): Float32Array {
  if (!tensor || !(tensor.data instanceof Float32Array)) throw new Error(`model output ${name} is not float32`);
  return tensor.data;
}
