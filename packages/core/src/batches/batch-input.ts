/** The endpoints a batch's lines may call. */
export const batchEndpoints = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings"] as const;
export type BatchEndpoint = (typeof batchEndpoints)[number];

/** A line of a batch's input file. */
export interface BatchInputLine {
  /** Its index in the file, from 0 (OpenAI's `line` in errors counts from 1). */
  line: number;
  customId: string;
  body: Record<string, unknown>;
}

/** OpenAI's `errors.data` entries of a batch that failed validation. */
export interface BatchInputError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

export const MAX_BATCH_LINES = 50_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads a batch's JSONL input: every line `{custom_id, method: "POST", url,
 * body}` with the batch's endpoint as `url` and a `custom_id` unique in the
 * file. The lines' bodies are checked as requests when they run (a bad body
 * is that line's error); what is checked here fails the whole batch, as at
 * OpenAI, with every problem found (up to 100).
 */
export function parseBatchInput(
  content: string,
  endpoint: BatchEndpoint,
): { lines: BatchInputLine[] } | { errors: BatchInputError[] } {
  const errors: BatchInputError[] = [];
  const lines: BatchInputLine[] = [];
  const seen = new Set<string>();
  const fail = (line: number, code: string, message: string, param: string | null = null) => {
    if (errors.length < 100) errors.push({ code, message, param, line: line + 1 });
  };
  const texts = content.split("\n");
  if (texts.at(-1)?.trim() === "") texts.pop();
  texts.forEach((text, line) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      fail(line, "invalid_json_line", "This line is not valid JSON.");
      return;
    }
    if (!isRecord(value)) return fail(line, "invalid_request", "A line must be a JSON object.");
    const { custom_id: customId, method, url, body } = value;
    if (typeof customId !== "string" || customId.length === 0 || customId.length > 512)
      return fail(
        line,
        "missing_required_parameter",
        "custom_id must be a string of 1 to 512 characters.",
        "custom_id",
      );
    if (seen.has(customId))
      return fail(line, "duplicate_custom_id", `The custom_id '${customId}' appears twice.`, "custom_id");
    seen.add(customId);
    if (method !== "POST") return fail(line, "invalid_method", "method must be POST.", "method");
    if (url !== endpoint)
      return fail(line, "mismatched_endpoint", `The line's url must be the batch's endpoint, ${endpoint}.`, "url");
    if (!isRecord(body)) return fail(line, "invalid_request", "body must be a JSON object.", "body");
    lines.push({ line, customId, body });
  });
  if (texts.length === 0) fail(-1, "empty_file", "The input file has no lines.");
  if (texts.length > MAX_BATCH_LINES)
    fail(-1, "too_many_lines", `A batch holds at most ${MAX_BATCH_LINES} lines; this file has ${texts.length}.`);
  return errors.length > 0 ? { errors: errors.map((e) => (e.line === 0 ? { ...e, line: null } : e)) } : { lines };
}
