import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received, its form body decoded into nested objects. */
export interface StripeCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

type StripeObject = Record<string, unknown> & { id: string };

/** `a[b][0]=x` form fields (how Stripe's SDK encodes parameters) as nested objects. */
function decodeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replaceAll("]", "").split("[");
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString("hex")}`;
const error = (status: number, code: string, message: string) => ({
  status,
  body: { error: { type: "invalid_request_error", code, message } },
});

/**
 * A Stripe-compatible HTTP server for tests, at the SDK's network boundary:
 * the endpoints this platform calls, kept in memory and recorded. Tests set
 * the state webhooks point at (subscriptions, invoices, checkout sessions)
 * and can make meter events fail after a number of them, as a crash would.
 */
export class StripeFake {
  readonly calls: StripeCall[] = [];
  readonly objects = new Map<string, StripeObject>();
  /** Meter events accepted, by identifier (Stripe refuses a repeated identifier). */
  readonly meterEvents = new Map<string, { customer: string; value: number; eventName: string }>();
  /**
   * Fail meter events after `after` more: "refuse" answers 500 keeping nothing; "lose-answer" keeps the event
   * and answers 500, as when a reporter dies before it hears back.
   */
  meterEventFailure: { after: number; mode: "refuse" | "lose-answer" } | null = null;
  #server: Server | undefined;

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      void this.#handle(request).then(({ status, body }) => {
        response.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop() {
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  /** Stores (or replaces) an object that GET /v1/<kind>/<id> returns, e.g. a subscription's new state. */
  put(object: StripeObject) {
    this.objects.set(object.id, object);
    return object;
  }

  callsTo(method: string, path: string | RegExp) {
    return this.calls.filter(
      (call) => call.method === method && (typeof path === "string" ? call.path === path : path.test(call.path)),
    );
  }

  async #handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = decodeForm(Buffer.concat(chunks).toString("utf8"));
    const method = request.method ?? "GET";
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    this.calls.push({ method, path, body });
    if (!request.headers.authorization?.startsWith("Bearer sk_"))
      return error(401, "api_key_invalid", "Invalid API key");

    if (method === "POST" && path === "/v1/customers") {
      return { status: 200, body: this.put({ id: id("cus"), object: "customer", ...body }) };
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const sessionId = id("cs_test");
      return {
        status: 200,
        body: this.put({
          id: sessionId,
          object: "checkout.session",
          status: "open",
          payment_status: "unpaid",
          subscription: null,
          url: `https://checkout.stripe.test/pay/${sessionId}`,
          ...body,
        }),
      };
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      return {
        status: 200,
        body: {
          id: id("bps"),
          object: "billing_portal.session",
          url: "https://billing.stripe.test/p/session",
          ...body,
        },
      };
    }
    if (method === "POST" && path === "/v1/billing/meter_events") {
      const identifier = String(body.identifier);
      if (this.meterEvents.has(identifier)) {
        return error(400, "resource_already_exists", `A meter event with identifier ${identifier} already exists.`);
      }
      const failure = this.meterEventFailure;
      const failing = failure !== null && failure.after <= 0;
      if (failure && !failing) failure.after--;
      if (failing && failure.mode === "refuse") return error(500, "api_error", "The fake was told to fail here.");
      const payload = body.payload as { stripe_customer_id: string; value: string };
      this.meterEvents.set(identifier, {
        customer: payload.stripe_customer_id,
        value: Number(payload.value),
        eventName: String(body.event_name),
      });
      if (failing) return error(500, "api_error", "The fake kept the event and lost the answer.");
      return { status: 200, body: { object: "billing.meter_event", identifier, ...body } };
    }
    const read = /^\/v1\/(?:subscriptions|invoices|checkout\/sessions|customers)\/([^/]+)$/.exec(path);
    if (method === "GET" && read?.[1]) {
      const object = this.objects.get(read[1]);
      return object ? { status: 200, body: object } : error(404, "resource_missing", `No such object: '${read[1]}'`);
    }
    return error(404, "unknown_endpoint", `The fake has no ${method} ${path}.`);
  }
}
