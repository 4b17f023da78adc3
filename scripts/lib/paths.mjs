import { fileURLToPath } from "node:url";

const at = (relative) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export const root = at("");
export const dataDir = at(".data");
export const bin = (name) => at(`node_modules/.bin/${name}`);
export { at };
