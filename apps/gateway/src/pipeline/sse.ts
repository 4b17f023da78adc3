import type { FastifyReply } from "fastify";

/** Server-Sent Events on a hijacked reply, as OpenAI streams them: `data: {json}` lines, then `data: [DONE]`. */
export class SseWriter {
  #open = true;

  constructor(private readonly reply: FastifyReply) {}

  /** Sends the head: the headers set on the reply so far (CORS, ids, limits) plus the event-stream ones. */
  start(headers: Record<string, string>) {
    this.reply.hijack();
    const raw = this.reply.raw;
    const inherited = Object.fromEntries(
      Object.entries(this.reply.getHeaders()).filter(
        (entry): entry is [string, string | number | string[]] => entry[1] !== undefined,
      ),
    );
    raw.writeHead(200, {
      ...inherited,
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    raw.on("close", () => (this.#open = false));
  }

  get open() {
    return this.#open && !this.reply.raw.destroyed;
  }

  send(data: unknown) {
    if (this.open) this.reply.raw.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** An SSE comment: clients ignore it, proxies see the connection is alive. */
  comment(text: string) {
    if (this.open) this.reply.raw.write(`: ${text}\n\n`);
  }

  done() {
    if (this.open) this.reply.raw.end("data: [DONE]\n\n");
  }

  /** Ends a stream that has started with an error event, OpenAI-style. */
  fail(body: unknown) {
    if (!this.open) return;
    this.reply.raw.write(`data: ${JSON.stringify(body)}\n\n`);
    this.reply.raw.end();
  }
}
