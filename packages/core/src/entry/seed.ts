// @aiaas/core/seed: the model catalogue and the demo data (people with passwords: it loads sign-in's hashing).
export { seedCatalogue } from "../seed/seed-catalogue.ts";
export { seedDemo, type DemoSeedInput, type DemoSeedResult } from "../seed/seed-demo.ts";
