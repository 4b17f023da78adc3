export {
  pullAndRegister,
  type PullBytes,
  type PulledModel,
  type PullEnv,
  type PullProgress,
  type PullRequest,
} from "./pull-and-register.ts";
export { registerFolderVersions, registrationOf, type RegistryTarget } from "./register-folder-versions.ts";
export { registerZooVersions } from "./register-zoo-versions.ts";
