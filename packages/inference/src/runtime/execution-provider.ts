import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as ort from "onnxruntime-node";

/** `cuda:N` picks the N-th GPU (as CUDA numbers them); `cuda` is `cuda:0`. */
export type InferenceDevice = "auto" | "cpu" | "cuda" | `cuda:${number}`;

const gpuIndex = (device: InferenceDevice) => (device.startsWith("cuda:") ? Number(device.slice(5)) : 0);

/** Where the sessions run, and why: said once in the worker's log and heartbeat. */
export interface ExecutionProvider {
  provider: "cuda" | "cpu";
  note: string;
  sessionOptions: ort.InferenceSession.SessionOptions;
}

export class ExecutionProviderError extends Error {
  override name = "ExecutionProviderError";
}

/**
 * Threads per session: all cores by default, as the host allows. They do
 * not spin between runs: the worker's event loop, Redis and the other
 * sessions need those cycles more.
 */
export function threadOptions(threads = availableParallelism()): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: Math.max(1, threads),
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  };
}

/** Why CUDA cannot be used on this host, or undefined when it might be. */
function cudaUnavailableReason(deviceId: number): string | undefined {
  const cuda = ort.listSupportedBackends().find((backend) => backend.name === "cuda");
  if (!cuda?.bundled) {
    return "onnxruntime-node was installed without its CUDA provider (on a GPU host: ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node, or build infra/docker/Dockerfile.worker-gpu: infra/README.md, GPU workers)";
  }
  if (!existsSync("/dev/nvidiactl")) return "no NVIDIA GPU is visible (/dev/nvidiactl is missing)";
  if (!existsSync(`/dev/nvidia${deviceId}`)) return `there is no GPU ${deviceId} (/dev/nvidia${deviceId} is missing)`;
  return undefined;
}

/**
 * Chooses the execution provider once, at start-up. `auto` takes CUDA when
 * its provider loads (a probe session is created on `probeModel`), else the
 * CPU, saying why; `cuda` (or `cuda:N`, the N-th GPU) refuses to fall back,
 * since an operator asked for it.
 */
export async function chooseExecutionProvider(
  device: InferenceDevice,
  probeModel: string | undefined,
  threads?: number,
): Promise<ExecutionProvider> {
  const cpu = (note: string): ExecutionProvider => ({
    provider: "cpu",
    note,
    sessionOptions: { ...threadOptions(threads), executionProviders: ["cpu"] },
  });
  if (device === "cpu") return cpu("CPU (INFERENCE_DEVICE=cpu)");
  const deviceId = gpuIndex(device);
  const cuda = { name: "cuda", deviceId } as const;
  let reason = cudaUnavailableReason(deviceId);
  if (!reason && probeModel) {
    try {
      const probe = await ort.InferenceSession.create(probeModel, { executionProviders: [cuda] });
      await probe.release();
    } catch (error) {
      reason = `the CUDA provider did not load: ${(error as Error).message.split("\n")[0]}`;
    }
  }
  if (!reason) {
    return {
      provider: "cuda",
      note: `CUDA (GPU ${deviceId})`,
      sessionOptions: { ...threadOptions(threads), executionProviders: [cuda, "cpu"] },
    };
  }
  if (device !== "auto") throw new ExecutionProviderError(`INFERENCE_DEVICE=${device}, but ${reason}`);
  return cpu(`CPU, because ${reason}`);
}
