// opencv-js (an Emscripten build, used by @gutenye/ocr-common) installs
// process handlers at import that turn any unhandled rejection into abort(),
// printing its whole 10 MB source. We import it first, here, and take those
// handlers off again; Node's own handling stays.
const listenersNow = () => ({
  uncaught: new Set(process.listeners("uncaughtException")),
  rejection: new Set(process.listeners("unhandledRejection")),
});
const before = listenersNow();
await import("@techstark/opencv-js");
const after = listenersNow();
for (const listener of after.uncaught) {
  if (!before.uncaught.has(listener)) process.removeListener("uncaughtException", listener);
}
for (const listener of after.rejection) {
  if (!before.rejection.has(listener)) process.removeListener("unhandledRejection", listener);
}
