import { describe, expect, it } from "vitest";
import { startTelemetry } from "./start-telemetry.ts";
import { currentTraceCarrier, tracer } from "./trace-context.ts";

describe("startTelemetry", () => {
  it("registers nothing without an OTLP endpoint: spans record nothing and jobs carry no context", async () => {
    const telemetry = startTelemetry("aiaas-test", {});
    expect(telemetry.enabled).toBe(false);
    const span = tracer().startSpan("anything");
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(currentTraceCarrier()).toBeUndefined();
    await telemetry.shutdown();
  });
});
