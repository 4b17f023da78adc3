// opencv-js (an Emscripten build, used by @gutenye/ocr-common) installs
// process handlers when it is imported that turn any unhandled rejection into
// abort(), printing its whole 10 MB source. ocr-model.ts imports this module
// first, so the snapshot below predates opencv-js, and then takes off the
// handlers added since; Node's own handling stays.
const before = {
  uncaught: new Set(process.listeners("uncaughtException")),
  rejection: new Set(process.listeners("unhandledRejection")),
};

export function removeProcessHandlersAddedOnImport() {
  for (const listener of process.listeners("uncaughtException")) {
    if (!before.uncaught.has(listener)) process.removeListener("uncaughtException", listener);
  }
  for (const listener of process.listeners("unhandledRejection")) {
    if (!before.rejection.has(listener)) process.removeListener("unhandledRejection", listener);
  }
}
