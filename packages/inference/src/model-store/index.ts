// What reads and pulls model folders, without loading ONNX Runtime or the
// image libraries: for the CLI, which must start fast.
export { MANIFEST_FILE, modelManifest, modelTasks, type ModelManifest, type ModelTask } from "../model-manifest.ts";
export {
  ModelFolderError,
  modelUnit,
  readModelFolder,
  type ModelFolder,
  type ModelSource,
  type ModelUnit,
} from "../read-model-folder.ts";
export { pullModel, localModelId, DEFAULT_HUB_ENDPOINT, type PullModelOptions } from "./pull-model.ts";
export { copyModelFolder, type CopyModelOptions } from "./copy-model-folder.ts";
export { fileDigests, type FileDigest } from "./file-digests.ts";
export { versionFiles } from "./version-files.ts";
export { checkModelFolder } from "./check-model-folder.ts";
export { ModelPullError } from "./model-pull-error.ts";
export type { DownloadProgress } from "./download-file.ts";
export type { HubFile } from "./hub-api.ts";
