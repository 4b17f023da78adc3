export { MANIFEST_FILE, modelManifest, type ModelManifest } from "./model-manifest.ts";
export { ModelFolderError, readModelFolder } from "./read-model-folder.ts";
