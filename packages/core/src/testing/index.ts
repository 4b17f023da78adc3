export { createTestTenant, testContext, testDb, testPepper } from "./fixtures.ts";
export { testRedisUrl } from "./test-redis-url.ts";
export { startTestVerifier } from "./test-verifier.ts";
export { startAppProcess, startAppProcesses, freePort, type AppProcess } from "./app-process.ts";
