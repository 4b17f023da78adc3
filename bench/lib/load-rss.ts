// Prints how many bytes loading one model folder (CPU) adds to this fresh process's resident set.
//   node --import tsx bench/lib/load-rss.ts <model folder> [variant]
import { LocalEngine } from "@aiaas/inference";

const [dir = "", variant] = process.argv.slice(2);
const before = process.memoryUsage().rss;
const engine = await LocalEngine.create({
  modelDirs: [{ dir, variant: variant || undefined }],
  device: "cpu",
  threads: 1,
});
console.log(process.memoryUsage().rss - before);
await engine.close();
