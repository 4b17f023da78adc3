// Runs once when the server starts: a bad environment stops it right away.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { consoleEnv } = await import("./server/env.ts");
    const env = consoleEnv();
    // Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set: Next's own spans and one per tRPC call.
    const { startTelemetry } = await import("@aiaas/core/telemetry");
    startTelemetry("aiaas-console");
    // Never silently: the development mailbox shows operators every reset and invitation link.
    if (env.DEV_MAIL && env.NODE_ENV === "production") {
      console.warn(
        "WARNING: DEV_MAIL=true: signed-in operators can read every mail this installation sends (reset and invitation links) at /dev/mail. Fine on your own machine (npm start); never on a server others use.",
      );
    }
  }
}
