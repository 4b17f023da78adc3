import { removeProcessHandlersAddedOnImport } from "./process-handlers.ts";
import { readFile } from "node:fs/promises";
import Ocr, { registerBackend, type Line } from "@gutenye/ocr-common";
import { splitIntoLineImages } from "@gutenye/ocr-common/splitIntoLineImages";
import * as ort from "onnxruntime-node";
import type { BatchingOptions } from "../../batching/dynamic-batcher.ts";
import { invalidImage } from "../../errors.ts";
import type { ModelFolder } from "../../read-model-folder.ts";
import { BatchedSession } from "./batched-session.ts";
import { SharpImage } from "./sharp-image.ts";

export type Point = [x: number, y: number];

export interface OcrLine {
  text: string;
  confidence: number;
  /** Corners clockwise from the top left, in the uploaded image's pixels. */
  box: Point[];
}

export interface OcrResult {
  text: string;
  lines: OcrLine[];
  width: number;
  height: number;
}

/** Larger uploads are shrunk to this side before detection. */
const MAX_SIDE = 1600;
/** Text lines are padded to a multiple of this width so that similar lines batch. */
const RECOGNIZER_WIDTH_BUCKET = 64;
/** PaddleOCR's detector takes sides in multiples of 32 (as @gutenye/ocr-common resizes them). */
const DETECTOR_STRIDE = 32;

interface SessionFactory {
  sessionFor(path: string): BatchedSession;
}

removeProcessHandlersAddedOnImport();

// @gutenye/ocr-common asks its backend for sessions; ours hands out the
// batched sessions the model made, passed through its onnxOptions.
registerBackend({
  FileUtils: { read: (path: string) => readFile(path, "utf8") },
  ImageRaw: SharpImage,
  InferenceSession: { create: async (path: string, factory: SessionFactory) => factory.sessionFor(path) },
  splitIntoLineImages,
  defaultModels: undefined,
});

/**
 * PaddleOCR (detection + recognition + dictionary) through
 * @gutenye/ocr-common's pre- and post-processing (opencv-js contours,
 * clipper unclipping, CTC decoding), on our own ORT sessions so that
 * concurrent requests batch: pages of the same size together, and text lines
 * of any width together.
 */
export class OcrModel {
  readonly task = "ocr" as const;

  private constructor(
    readonly folder: ModelFolder,
    private readonly ocr: Ocr,
    readonly detector: BatchedSession,
    readonly recognizer: BatchedSession,
    private readonly sessions: ort.InferenceSession[],
  ) {}

  static async load(folder: ModelFolder, options: ort.InferenceSession.SessionOptions, batching: BatchingOptions) {
    const { onnx, recognition, dictionary } = folder.files;
    if (!onnx || !recognition || !dictionary)
      throw new Error(`${folder.dir}: OCR needs detection, recognition and dictionary files`);
    const sessions = await Promise.all([onnx, recognition].map((path) => ort.InferenceSession.create(path, options)));
    const [detection, recognitionSession] = sessions;
    if (!detection || !recognitionSession) throw new Error("OCR sessions did not load");
    const detector = new BatchedSession(detection, batching);
    const recognizer = new BatchedSession(recognitionSession, batching, RECOGNIZER_WIDTH_BUCKET);
    const factory: SessionFactory = { sessionFor: (path) => (path === onnx ? detector : recognizer) };
    const ocr = await Ocr.create({
      models: { detectionPath: onnx, recognitionPath: recognition, dictionaryPath: dictionary },
      onnxOptions: factory as ort.InferenceSession.SessionOptions,
    });
    return new OcrModel(folder, ocr, detector, recognizer, sessions);
  }

  async read(bytes: Uint8Array): Promise<OcrResult> {
    let decoded: Awaited<ReturnType<typeof SharpImage.decode>>;
    try {
      decoded = await SharpImage.decode(bytes, MAX_SIDE);
    } catch (error) {
      throw invalidImage(error as Error);
    }
    const { image, scale } = decoded;
    const { width, height } = image;
    // @gutenye/ocr-common takes a path; its backend's open() accepts our decoded image as it is.
    const found = await this.ocr.detect(image as unknown as string);
    const toOriginal = letterboxInverse(width, height, scale);
    const lines = found
      .filter((line): line is Required<Line> => Boolean(line.box) && line.text.trim().length > 0)
      .map((line) => ({
        text: line.text,
        confidence: Math.round(line.mean * 10_000) / 10_000,
        box: line.box.map(([x = 0, y = 0]) => toOriginal(x, y)),
      }));
    return {
      text: lines.map((line) => line.text).join("\n"),
      lines,
      width: Math.round(width * scale),
      height: Math.round(height * scale),
    };
  }

  async release() {
    await Promise.all(this.sessions.map((session) => session.release()));
  }
}

/**
 * The detector sees the image letterboxed ("contain") into the next
 * multiple of 32 on each side; boxes come back in that frame. This maps them
 * to the uploaded image's pixels.
 */
function letterboxInverse(width: number, height: number, scale: number) {
  const frameWidth = Math.max(Math.ceil(width / DETECTOR_STRIDE) * DETECTOR_STRIDE, DETECTOR_STRIDE);
  const frameHeight = Math.max(Math.ceil(height / DETECTOR_STRIDE) * DETECTOR_STRIDE, DETECTOR_STRIDE);
  const fit = Math.min(frameWidth / width, frameHeight / height);
  const offsetX = (frameWidth - width * fit) / 2;
  const offsetY = (frameHeight - height * fit) / 2;
  const clamp = (value: number, max: number) => Math.min(Math.max(Math.round(value), 0), max);
  return (x: number, y: number): Point => [
    clamp(((x - offsetX) / fit) * scale, Math.round(width * scale)),
    clamp(((y - offsetY) / fit) * scale, Math.round(height * scale)),
  ];
}
