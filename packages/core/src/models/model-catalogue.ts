import type { ModelTask } from "@aiaas/db";

export interface CatalogueModel {
  slug: string;
  displayName: string;
  description: string;
  task: ModelTask;
  ownedBy: string;
  contextLength: number | null;
  restricted: boolean;
  /** Launch prices in micro-units; later changes add rows in model_prices. */
  price: { inputMicrosPer1k: bigint; outputMicrosPer1k: bigint; imageMicros: bigint };
}

/**
 * The models this platform ships. `npm start` seeds them; operators change
 * prices and availability afterwards in the database (never overwritten here).
 */
export const modelCatalogue: readonly CatalogueModel[] = [
  {
    slug: "kjv-gpt-mini",
    displayName: "KJV GPT mini",
    description:
      "A small character-level GPT trained on the King James Bible: completions and chat in its style, a verse at a time.",
    task: "chat",
    ownedBy: "aiaas",
    contextLength: 256,
    restricted: false,
    price: { inputMicrosPer1k: 20n, outputMicrosPer1k: 60n, imageMicros: 0n },
  },
  {
    slug: "kjv-embed-mini",
    displayName: "KJV embed mini",
    description: "A small sentence embedder (128 dimensions) trained on the King James Bible.",
    task: "embedding",
    ownedBy: "aiaas",
    contextLength: 64,
    restricted: false,
    price: { inputMicrosPer1k: 10n, outputMicrosPer1k: 0n, imageMicros: 0n },
  },
  {
    slug: "paddleocr-v4",
    displayName: "PaddleOCR v4",
    description: "Text detection and recognition (PaddleOCR v4, Apache-2.0): lines of text with boxes and confidences.",
    task: "ocr",
    ownedBy: "paddlepaddle",
    contextLength: null,
    restricted: false,
    price: { inputMicrosPer1k: 0n, outputMicrosPer1k: 0n, imageMicros: 1_000n },
  },
  {
    slug: "echo",
    displayName: "Echo (diagnostic)",
    description:
      "Answers at once and deterministically from its input, at price 0: completions repeat the prompt, embeddings are drawn from the text's hash, OCR reads back the image's size. Operators grant it per tenant, for load tests.",
    task: "echo",
    ownedBy: "aiaas",
    contextLength: 8192,
    restricted: true,
    price: { inputMicrosPer1k: 0n, outputMicrosPer1k: 0n, imageMicros: 0n },
  },
];
