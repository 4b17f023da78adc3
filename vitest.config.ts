import { defineConfig } from "vitest/config";

const exclude = ["**/node_modules/**", "**/.next/**", "**/dist/**", "e2e/**", ".data/**"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,packages,scripts}/**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts", "**/*.faults.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "faults",
          include: ["{apps,packages,scripts}/**/*.faults.test.ts"],
          exclude,
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One stack of real processes at a time: it takes the whole machine.
          maxWorkers: 1,
        },
      },
      {
        test: {
          name: "int",
          include: ["{apps,packages,scripts}/**/*.int.test.ts"],
          exclude,
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: run files two at a time; each test makes its own tenants.
          maxWorkers: 2,
        },
      },
    ],
  },
});
