/**
 * `npm run test:faults` sets FAULT_SCALE=long: the fault suite, and the soak
 * tests (billing reconciliation, Redis memory), run at length; `npm test`
 * runs them short enough for CI.
 */
export const longRun = process.env.FAULT_SCALE === "long";
