import { fileURLToPath } from "node:url";

const at = (relative) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export const root = at("");
/** Local state (secrets, demo credentials, an embedded server's data): `.data`, or AIAAS_DATA_DIR. */
export const dataDir = process.env.AIAAS_DATA_DIR ?? at(".data");
export const bin = (name) => at(`node_modules/.bin/${name}`);
export { at };
