import { defineConfig } from "vitest/config";

const exclude = ["**/node_modules/**", "**/.next/**", "**/dist/**", "e2e/**", ".data/**"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,packages,scripts}/**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts"],
          environment: "node",
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
