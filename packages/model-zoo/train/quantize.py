#!/usr/bin/python3
"""Dynamic int8 quantisation of an ONNX graph's MatMul weights (docs/models.md, "Compressed variants").

Every MatMul whose second input is a float initializer W [K, N] becomes

    Xq, xs, xz = DynamicQuantizeLinear(X)            # activations: uint8, scale and zero point per run
    Y32 = MatMulInteger(Xq, Wq, xz, Wz)              # Wq int8 [K, N], Wz int8 zeros [N]
    Y = Cast(Y32, float) * (xs * Ws)                 # Ws float [N]

with W quantised symmetrically per output column: Ws[n] = max|W[:, n]| / 127,
Wq = round(W / Ws). This is what onnxruntime's quantize_dynamic does with
per-channel int8 weights; onnxruntime's quantiser is a Python package not
available here, so this is our own rewrite with Debian's python3-onnx. Other
operators (embeddings, norms, attention arithmetic) stay float32.

    /usr/bin/python3 quantize.py <model folder>

writes the rewritten graph beside the original, as onnx/model_int8.onnx
(Optimum's name for it); the folder's aiaas.json offers it as the variant
"int8" (docs/models.md, "Versions and aliases").
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize(model):
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    nodes, rewritten = [], 0
    for node in graph.node:
        weight = inits.get(node.input[1]) if node.op_type == "MatMul" else None
        array = numpy_helper.to_array(weight) if weight is not None else None
        if array is None or array.dtype != np.float32 or array.ndim != 2:
            nodes.append(node)
            continue
        rewritten += 1
        base = f"{node.name or node.output[0]}_int8"
        scale = np.maximum(np.abs(array).max(axis=0), 1e-12) / 127.0
        quantized = np.clip(np.round(array / scale), -127, 127).astype(np.int8)
        graph.initializer.extend([
            numpy_helper.from_array(quantized, f"{base}_W"),
            numpy_helper.from_array(scale.astype(np.float32), f"{base}_Ws"),
            numpy_helper.from_array(np.zeros(array.shape[1], dtype=np.int8), f"{base}_Wz"),
        ])
        x = node.input[0]
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [x], [f"{base}_Xq", f"{base}_xs", f"{base}_xz"], name=f"{base}_dql"),
            helper.make_node("MatMulInteger", [f"{base}_Xq", f"{base}_W", f"{base}_xz", f"{base}_Wz"], [f"{base}_Y32"],
                             name=f"{base}_mmi"),
            helper.make_node("Cast", [f"{base}_Y32"], [f"{base}_Yf"], to=TensorProto.FLOAT, name=f"{base}_cast"),
            helper.make_node("Mul", [f"{base}_xs", f"{base}_Ws"], [f"{base}_S"], name=f"{base}_scale"),
            helper.make_node("Mul", [f"{base}_Yf", f"{base}_S"], [node.output[0]], name=f"{base}_out"),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    # Weights no node reads any more (the float originals) are dropped.
    used = {name for n in graph.node for name in n.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    return rewritten


def main(folder):
    model = onnx.load(os.path.join(folder, "onnx", "model.onnx"))
    count = quantize(model)
    path = os.path.join(folder, "onnx", "model_int8.onnx")
    onnx.save(model, path)
    print(f"{path}: {count} MatMul weights in int8, {os.path.getsize(path) / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1])
