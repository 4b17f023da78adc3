// @aiaas/core/models: The model catalogue an operator manages: registering pulled models and their versions.
export {
  registerModel,
  folderDigest,
  modelRegistrationInput,
  type ModelRegistration,
  type RegisteredModel,
} from "../models/register-model.ts";
export { listRegisteredModels } from "../models/list-registered-models.ts";
export { setModelStatus } from "../models/set-model-status.ts";
