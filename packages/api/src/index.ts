export { appRouter, createCaller, type AppRouter } from "./root.ts";
export type { ApiContext } from "./context.ts";
