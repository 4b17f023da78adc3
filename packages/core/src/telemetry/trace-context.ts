import { context, propagation, trace, type Context } from "@opentelemetry/api";
import { z } from "zod";

/** W3C trace context as it travels in a job's payload (never more than these two headers). */
export const traceCarrier = z.object({
  traceparent: z.string().max(128),
  tracestate: z.string().max(512).optional(),
});
export type TraceCarrier = z.infer<typeof traceCarrier>;

/** The active span's context, to carry in a job; undefined when nothing is traced. */
export function currentTraceCarrier(): TraceCarrier | undefined {
  if (!trace.getSpan(context.active())?.isRecording()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate } : undefined;
}

/** The context a job's carrier names, for the spans of its work; the active one without a carrier. */
export function traceContextFrom(carrier: TraceCarrier | undefined): Context {
  return carrier ? propagation.extract(context.active(), carrier) : context.active();
}

/** The platform's tracer (a no-op until startTelemetry registers a provider). */
export const tracer = () => trace.getTracer("aiaas");
