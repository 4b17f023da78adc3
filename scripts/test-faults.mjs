#!/usr/bin/env node
// `npm run test:faults`: the set-up of `npm test`, then the fault suite at
// length (FAULT_SCALE=long) and the property tests of the Redis scripts with
// many more cases (PROPERTY_RUNS), and the soak tests at length. `npm test`
// runs all of them briefly.
import { prepareStack, testStack } from "./lib/stack.mjs";
import { run } from "./lib/run.mjs";
import { bin } from "./lib/paths.mjs";
import { runMain, step } from "./lib/log.mjs";

await runMain(async () => {
  const { env, stop } = await prepareStack(testStack);
  const testEnv = { ...env, NODE_ENV: "test" };
  let failed = false;
  try {
    step("fault suite, long");
    const faults = await run(bin("vitest"), ["run", "--project", "faults"], {
      env: { ...testEnv, FAULT_SCALE: "long" },
      allowFailure: true,
    });
    step("property tests, 2,000 cases each (PROPERTY_RUNS)");
    // Every *.property.int.test.ts (vitest takes the name as a filter).
    const properties = await run(bin("vitest"), ["run", "--project", "int", "property.int.test"], {
      env: { ...testEnv, PROPERTY_RUNS: process.env.PROPERTY_RUNS ?? "2000" },
      allowFailure: true,
    });
    step("soak tests at length (10,000 requests reconciled, 1,000 uploads through Redis)");
    const soaks = await run(
      bin("vitest"),
      ["run", "--project", "int", "billing-reconciliation.int.test", "gateway-redis-memory.int.test"],
      { env: { ...testEnv, FAULT_SCALE: "long" }, allowFailure: true },
    );
    failed = faults.code !== 0 || properties.code !== 0 || soaks.code !== 0;
  } finally {
    await stop();
  }
  process.exitCode = failed ? 1 : 0;
});
