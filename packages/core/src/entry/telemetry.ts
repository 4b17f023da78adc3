// @aiaas/core/telemetry: OpenTelemetry traces (OTLP over HTTP when configured) and trace context in jobs.
export { startTelemetry, type Telemetry } from "../telemetry/start-telemetry.ts";
export {
  currentTraceCarrier,
  traceCarrier,
  traceContextFrom,
  tracer,
  type TraceCarrier,
} from "../telemetry/trace-context.ts";
