import sharp from "sharp";
import { LocalEngine } from "../engine/local-engine.ts";
import { ModelFolderError, type ModelFolder } from "../read-model-folder.ts";

/** A small white image: OCR finds no text in it, but runs its stages. */
const blankPng = () =>
  sharp({ create: { width: 64, height: 32, channels: 3, background: "#ffffff" } })
    .png()
    .toBuffer();

/**
 * Loads a model folder the way a worker does (CPU) and runs one small
 * request of its task through it: a graph whose inputs or outputs do not
 * fit the task, a tokenizer that does not load, a cache of the wrong shape
 * fail here, before the catalogue offers the model.
 */
export async function checkModelFolder(folder: ModelFolder): Promise<void> {
  const { id, task } = folder.manifest;
  let engine: LocalEngine | undefined;
  try {
    engine = await LocalEngine.create({ modelDirs: [folder.dir], device: "cpu", threads: 1 });
    if (task === "embedding") await engine.embed(id, ["a check"]);
    if (task === "chat" || task === "completion")
      await engine.generate(id, { prompt: "A", maxTokens: 1, temperature: 0 });
    if (task === "ocr") await engine.ocr(id, await blankPng());
  } catch (error) {
    throw new ModelFolderError(`${folder.dir}: the ${task} model does not run here (${(error as Error).message})`);
  } finally {
    await engine?.close();
  }
}
