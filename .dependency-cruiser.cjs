/**
 * The dependency rule (README "Dependency rule"): apps -> packages;
 * packages/api -> core -> db; inference imports neither db nor api (nor core);
 * nothing imports an app; config imports no other package of ours; the
 * gateway and the worker's jobs load neither sign-in nor Stripe; what runs
 * in an image imports no dev dependency.
 */
module.exports = {
  forbidden: [
    {
      name: "no-importing-apps",
      comment: "Apps are leaves: no app imports another app.",
      severity: "error",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "packages-not-to-apps",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "inference-stays-pure",
      comment: "The inference engine knows nothing of tenants, storage or HTTP.",
      severity: "error",
      from: { path: "^packages/inference/" },
      to: { path: "^packages/(db|api|core)/" },
    },
    {
      name: "json-grammar-is-a-leaf",
      comment: "Structured output's automaton is pure: the gateway and the decoder both load it.",
      severity: "error",
      from: { path: "^packages/json-grammar/" },
      to: { path: "^packages/(?!json-grammar/)" },
    },
    {
      name: "core-not-to-api",
      severity: "error",
      from: { path: "^packages/(core|db)/" },
      to: { path: "^packages/api/" },
    },
    {
      name: "db-is-the-bottom",
      severity: "error",
      from: { path: "^packages/db/" },
      to: { path: "^packages/(core|api|inference)/" },
    },
    {
      name: "config-is-a-leaf",
      severity: "error",
      from: { path: "^packages/config/" },
      to: { path: "^packages/(?!config/)" },
    },
    {
      name: "gateway-without-sign-in-or-stripe",
      comment:
        "The public data path loads neither people's sign-in (better-auth) nor Stripe: a change there is no change to the gateway.",
      severity: "error",
      from: { path: "^apps/gateway/src/main\\.ts$" },
      to: {
        path: "^(packages/core/src/(auth|billing/stripe)/|node_modules/(better-auth|stripe)/)",
        reachable: true,
      },
    },
    {
      name: "worker-without-sign-in",
      comment: "Workers run tenants' jobs; people's sign-in is none of theirs.",
      severity: "error",
      from: { path: "^apps/worker/src/main\\.ts$" },
      to: {
        path: "^(packages/core/src/auth/|node_modules/better-auth/)",
        reachable: true,
      },
    },
    {
      name: "inference-jobs-without-stripe",
      comment: "Only the worker's maintenance queue reports usage to Stripe; running a job never loads it.",
      severity: "error",
      from: { path: "^apps/worker/src/(process-inference-job|model-consumers)\\.ts$" },
      to: { path: "^(packages/core/src/billing/stripe/|node_modules/stripe/)", reachable: true },
    },
    {
      name: "runtime-without-dev-dependencies",
      comment:
        "The images install production dependencies only (npm ci --omit=dev): what an app runs imports no dev dependency.",
      severity: "error",
      from: { path: "^(apps|packages)/", pathNot: "(\\.test\\.tsx?$|/testing/|/faults/|/e2e/|\\.config\\.[cm]?ts$)" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["npm"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(\\.next|generated)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.depcruise.json" },
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "types", "default"] },
  },
};
