// The inference thread: runs the LocalEngine beside (not on) the event loop
// that renews BullMQ job locks, since session.run blocks its thread.
import { parentPort, workerData } from "node:worker_threads";
import { InferenceInputError } from "../errors.ts";
import type { EngineCall, EngineReply, SerializedError } from "./engine-messages.ts";
import type { EngineOptions } from "./inference-engine.ts";
import { LocalEngine } from "./local-engine.ts";

const port = parentPort;
if (!port) throw new Error("engine-thread.ts runs as a worker thread");
const post = (reply: EngineReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

const serialize = (error: unknown): SerializedError =>
  error instanceof InferenceInputError
    ? { name: error.name, message: error.message, code: error.code, param: error.param }
    : { name: (error as Error).name ?? "Error", message: (error as Error).message ?? String(error) };

const cancels = new Map<number, AbortController>();

async function answer(
  engine: LocalEngine,
  call: Exclude<EngineCall, { kind: "cancel" }>,
): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  switch (call.kind) {
    case "embed": {
      const result = await engine.embed(call.model, call.inputs);
      return { value: result, transfer: result.vectors.map((vector) => vector.buffer as ArrayBuffer) };
    }
    case "generate": {
      const controller = new AbortController();
      if (call.cancelled) controller.abort();
      cancels.set(call.id, controller);
      try {
        const onText = call.stream ? (delta: string) => post({ kind: "text", id: call.id, delta }) : undefined;
        return { value: await engine.generate(call.model, call.request, { onText, signal: controller.signal }) };
      } finally {
        cancels.delete(call.id);
      }
    }
    case "ocr":
      return { value: await engine.ocr(call.model, call.image) };
    case "stats":
      return { value: await engine.stats() };
    case "close":
      await engine.close();
      return { value: null };
  }
}

try {
  const engine = await LocalEngine.create(workerData as EngineOptions);
  port.on("message", (call: EngineCall) => {
    if (call.kind === "cancel") {
      cancels.get(call.id)?.abort();
      return;
    }
    answer(engine, call).then(
      ({ value, transfer }) => post({ kind: "done", id: call.id, value }, transfer),
      (error: unknown) => post({ kind: "error", id: call.id, error: serialize(error) }),
    );
  });
  post({ kind: "ready", description: engine.describe() });
} catch (error) {
  post({ kind: "failed", error: serialize(error) });
}
