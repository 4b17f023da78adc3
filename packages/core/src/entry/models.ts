// @aiaas/core/models: The model catalogue an operator manages: registering pulled models and their versions, aliases and promotion.
export {
  registerModel,
  folderDigest,
  modelRegistrationInput,
  type ModelRegistration,
  type RegisteredModel,
} from "../models/register-model.ts";
export { listRegisteredModels, liveVersions } from "../models/list-registered-models.ts";
export { setModelStatus } from "../models/set-model-status.ts";
export {
  promoteModelVersion,
  promoteModelVersionInput,
  type LiveVersions,
  type PromoteModelVersionInput,
} from "../models/promote-model-version.ts";
export {
  aliasedName,
  aliasName,
  DEFAULT_ALIAS,
  modelSlug,
  parseModelName,
  versionName,
  type ModelName,
} from "../models/model-name.ts";
export { listModelPulls, modelPullInput, requestModelPull, type ModelPullInput } from "../models/model-pulls.ts";
