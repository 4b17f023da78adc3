import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
export type WasmGlue = typeof glue;

// A Node global, but the repo's lib (ES2023, no DOM) declares no WebAssembly types: just what is used here.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loading: Promise<WasmGlue> | undefined;

/**
 * Instantiates schema_engine_bg.wasm once per process and binds it to its wasm-bindgen JS glue.
 * The package's own entry point does `import * as wasm from "./schema_engine_bg.wasm"`, which
 * Node cannot load, so the module is compiled by hand here.
 */
export function loadSchemaEngineWasm(): Promise<WasmGlue> {
  loading ??= instantiate();
  return loading;
}

async function instantiate(): Promise<WasmGlue> {
  const packageEntry = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm");
  const bytes = await readFile(join(dirname(packageEntry), "schema_engine_bg.wasm"));
  // The wasm module imports everything from its glue file, under this specifier.
  const { instance } = await WebAssembly.instantiate(bytes, {
    "./schema_engine_bg.js": withUnrefTimers(glue),
  });
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports["__wbindgen_start"];
  if (typeof start !== "function") throw new Error("schema_engine_bg.wasm exports no __wbindgen_start");
  (start as () => void)();
  return glue;
}

/**
 * The engine arms timers it never clears (the glue has no clearTimeout), e.g. the 10 s timeout on
 * the advisory lock taken by applyMigrations, which kept every process alive 10 s after close().
 * Unref'd, they no longer hold the event loop; open pg connections still do while work is pending.
 */
function withUnrefTimers(imports: WasmGlue): Record<string, unknown> {
  const patched: Record<string, unknown> = { ...imports };
  for (const name of Object.keys(patched)) {
    if (name.startsWith("__wbg_setTimeout_")) {
      patched[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
  }
  return patched;
}
