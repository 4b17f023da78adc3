// A minimal OpenAI-shaped upstream (node:http) that answers at once: the
// baseline of bench/peer, and what Portkey's gateway proxies to. Run as its
// own process, listening on 127.0.0.1:$PORT:
//   PORT=9000 node --import tsx bench/peer/mock-upstream.ts
import { createServer } from "node:http";

const usage = { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 };
const embedding = JSON.stringify({
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: Array.from({ length: 16 }, (_, i) => i / 16) }],
  model: "echo",
  usage: { prompt_tokens: 4, total_tokens: 4 },
});
const words = ["Let ", "there ", "be ", "light"];
const completion = JSON.stringify({
  id: "chatcmpl-mock",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "echo",
  choices: [{ index: 0, message: { role: "assistant", content: words.join("") }, finish_reason: "stop" }],
  usage,
});
const chunk = (delta: object, finish: string | null) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-mock",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "echo",
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
const stream = [
  chunk({ role: "assistant", content: "" }, null),
  ...words.map((word) => chunk({ content: word }, null)),
  chunk({}, "stop"),
  "data: [DONE]\n\n",
].join("");

const server = createServer((request, response) => {
  const body: Buffer[] = [];
  request.on("data", (part: Buffer) => body.push(part));
  request.on("end", () => {
    if (request.url === "/readyz") {
      response.writeHead(200).end("ok");
    } else if (request.url?.endsWith("/embeddings")) {
      response.writeHead(200, { "content-type": "application/json" }).end(embedding);
    } else if (request.url?.endsWith("/chat/completions")) {
      const streamed = Buffer.concat(body).includes('"stream":true');
      if (streamed) response.writeHead(200, { "content-type": "text/event-stream" }).end(stream);
      else response.writeHead(200, { "content-type": "application/json" }).end(completion);
    } else {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
