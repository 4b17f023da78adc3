export {
  createStoredRequest,
  createTestTenant,
  testContext,
  testApplicationDb,
  testDb,
  testOperatorDb,
  testOwnerDb,
  testPepper,
} from "./fixtures.ts";
export { testRedisUrl } from "./test-redis-url.ts";
export { startOtlpReceiver, type ReceivedSpan } from "./otlp-receiver.ts";
export { startTestVerifier } from "./test-verifier.ts";
export {
  startAppProcess,
  startAppProcesses,
  startServerProcess,
  freePort,
  logLine,
  type AppProcess,
} from "./app-process.ts";
export { StripeFake, type StripeCall } from "./stripe-fake.ts";
export { WEBHOOK_SECRET, deliver, fakeStripeClient, stripeEvent } from "./stripe-webhooks.ts";
export { propertyRuns } from "./property-runs.ts";
export { authRequests, cookiesOf, newEmail, randomIp } from "../auth/testing/auth-requests.ts";
export { aiaas } from "./run-cli.ts";
export { startLocalHub, type LocalHub } from "./local-hub.ts";
export { testWorkerStatus } from "./worker-status.ts";
