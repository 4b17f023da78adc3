import type { GenerationRequest } from "../tasks/generation/decoder-model.ts";
import type { InferenceInputErrorCode } from "../errors.ts";
import type { EngineDescription } from "./inference-engine.ts";

/** Messages between the worker's event loop and its inference thread. */
export type EngineCall =
  | { kind: "embed"; id: number; model: string; inputs: string[] }
  /** `cancelled`: the caller's signal had aborted already (a cancel message would come after the first step). */
  | { kind: "generate"; id: number; model: string; request: GenerationRequest; stream: boolean; cancelled: boolean }
  | { kind: "ocr"; id: number; model: string; image: Uint8Array }
  | { kind: "stats"; id: number }
  | { kind: "cancel"; id: number }
  | { kind: "close"; id: number };

export interface SerializedError {
  name: string;
  message: string;
  code?: InferenceInputErrorCode;
  param?: string;
}

export type EngineReply =
  | { kind: "ready"; description: EngineDescription }
  | { kind: "failed"; error: SerializedError }
  | { kind: "text"; id: number; delta: string }
  | { kind: "done"; id: number; value: unknown }
  | { kind: "error"; id: number; error: SerializedError };
