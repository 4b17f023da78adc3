// Worker threads do not inherit the parent's --import hooks on Node 20, so
// the inference thread registers tsx itself before loading its TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./engine-thread.ts");
