// Runs once when the server starts: a bad environment stops it right away.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { consoleEnv } = await import("./server/env.ts");
    consoleEnv();
  }
}
