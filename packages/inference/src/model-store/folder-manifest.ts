import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MANIFEST_FILE, type ModelManifest, type ModelTask } from "../model-manifest.ts";
import { ModelPullError } from "./model-pull-error.ts";

function inferTask(config: Record<string, unknown>, tokenizerConfig: Record<string, unknown>): ModelTask {
  const architectures = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  const decoderFamily = /^(gpt2|gpt_neox?|gptj|llama|mistral|mixtral|qwen[23]|phi3?|gemma[23]?|olmo2?|granite)$/;
  if (
    architectures.some((name) => /(ForCausalLM|LMHeadModel)$/.test(name)) ||
    decoderFamily.test(String(config.model_type))
  ) {
    return typeof tokenizerConfig.chat_template === "string" || Array.isArray(tokenizerConfig.chat_template)
      ? "chat"
      : "completion";
  }
  if (architectures.some((name) => /Model$/.test(name)) || /bert|mpnet|e5|bge/i.test(String(config.model_type))) {
    return "embedding";
  }
  throw new ModelPullError(
    "cannot tell the model's task from its config.json: pass --task chat|completion|embedding",
    true,
  );
}

async function readJsonIfThere(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Writes our manifest beside a Hugging Face folder: the task from its
 * config.json (unless given), the context from its position embeddings.
 */
export async function writeManifest(
  dir: string,
  input: Pick<ModelManifest, "id" | "license" | "description"> & { displayName: string; task?: ModelTask },
) {
  const config = await readJsonIfThere(join(dir, "config.json"));
  const tokenizerConfig = await readJsonIfThere(join(dir, "tokenizer_config.json"));
  const context = [config.n_positions, config.max_position_embeddings].find((value) => typeof value === "number");
  const manifest: Partial<ModelManifest> & Pick<ModelManifest, "id" | "task" | "license"> = {
    id: input.id,
    task: input.task ?? inferTask(config, tokenizerConfig),
    displayName: input.displayName,
    description: input.description,
    license: input.license,
    ...(typeof context === "number" ? { contextLength: context } : {}),
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
