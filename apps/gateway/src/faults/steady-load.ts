import type { FaultStack } from "./fault-stack.ts";

/** One request of the load: what came back, when, from which gateway, for which tenant. */
export interface Outcome {
  requestId: string | null;
  /** The HTTP status, or 0 when no answer came (a gateway killed, a refused connection). */
  status: number;
  code: string | null;
  at: number;
  gateway: number;
  tenant: number;
}

/** One chat completion of the echo model through the gateway at `url`. */
export const echoChat = (url: string, secret: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "And God said, Let there be light" }] }),
    signal: AbortSignal.timeout(30_000),
  });

/**
 * Chat completions of the echo model, `concurrency` at a time, spread over
 * the stack's gateways and tenants, until stopped; every outcome is kept.
 */
export class SteadyLoad {
  readonly outcomes: Outcome[] = [];
  #running = false;
  #loops: Promise<void>[] = [];

  constructor(
    private readonly stack: FaultStack,
    private readonly concurrency: number,
  ) {}

  start() {
    this.#running = true;
    this.#loops = Array.from({ length: this.concurrency }, (_, loop) => this.#loop(loop));
  }

  async stop() {
    this.#running = false;
    await Promise.all(this.#loops);
  }

  async #loop(loop: number) {
    for (let n = loop; this.#running; n += this.concurrency) {
      const gateway = n % this.stack.gateways.length;
      const tenant = Math.floor(n / this.stack.gateways.length) % this.stack.tenants.length;
      await this.#send(gateway, tenant);
    }
  }

  async #send(gateway: number, tenant: number) {
    const url = this.stack.urls()[gateway];
    const secret = this.stack.tenants[tenant]?.secret ?? "";
    try {
      const response = await echoChat(url ?? "", secret);
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
      this.outcomes.push({
        requestId: response.headers.get("x-request-id"),
        status: response.status,
        code: body.error?.code ?? null,
        at: Date.now(),
        gateway,
        tenant,
      });
    } catch {
      this.outcomes.push({ requestId: null, status: 0, code: null, at: Date.now(), gateway, tenant });
      // A gateway that is down refuses at once: don't spin on it.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
