"use client";
import OpenAI from "openai";

/**
 * The official client against our gateway, from the browser. Its telemetry
 * headers are dropped so a CORS preflight asks only for Authorization and
 * Content-Type.
 */
export function gatewayClient(gatewayUrl: string, apiKey: string) {
  return new OpenAI({
    apiKey,
    baseURL: `${gatewayUrl}/v1`,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    defaultHeaders: {
      "X-Stainless-Lang": null,
      "X-Stainless-Package-Version": null,
      "X-Stainless-OS": null,
      "X-Stainless-Arch": null,
      "X-Stainless-Runtime": null,
      "X-Stainless-Runtime-Version": null,
      "X-Stainless-Retry-Count": null,
      "X-Stainless-Timeout": null,
    },
  });
}

/** An error from the gateway in the OpenAI shape, for calls made with plain fetch. */
export class GatewayError extends Error {
  override name = "GatewayError";
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** POSTs JSON to the gateway; throws GatewayError with the API's own message. */
export async function postJson<T>(gatewayUrl: string, apiKey: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): reported below by status.
  }
  if (!response.ok) {
    const error = (parsed as { error?: { message?: unknown; code?: unknown } } | null)?.error;
    const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
    throw new GatewayError(response.status, message, typeof error?.code === "string" ? error.code : null);
  }
  return parsed as T;
}

/** The status the API answered with, if it did. */
export function errorStatus(error: unknown): number | undefined {
  if (error instanceof GatewayError) return error.status;
  const status: unknown = error instanceof OpenAI.APIError ? error.status : undefined;
  return typeof status === "number" ? status : undefined;
}

/** What to tell the person: the API's own message (OpenAI error shape), or why it could not be reached. */
export function describeGatewayError(error: unknown, gatewayUrl: string): string {
  if (error instanceof OpenAI.APIUserAbortError) return "Stopped.";
  if (error instanceof OpenAI.APIConnectionError || error instanceof TypeError) {
    return `Could not reach the API at ${gatewayUrl}. Is the gateway running, and does it allow this origin?`;
  }
  if (error instanceof OpenAI.APIError) {
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === "string" ? body.message : error.message;
    return error.status ? `The API answered ${error.status}: ${message}` : message;
  }
  if (error instanceof GatewayError) return `The API answered ${error.status}: ${error.message}`;
  return error instanceof Error && error.message ? error.message : "Something went wrong. Try again.";
}

/**
 * Runs a call with the playground key; if the API refuses the key (401: it
 * was revoked, or expired under us), once more with a fresh one.
 */
export async function withPlaygroundKey<T>(
  getKey: (options?: { fresh?: boolean }) => Promise<string>,
  call: (apiKey: string) => Promise<T>,
): Promise<T> {
  try {
    return await call(await getKey());
  } catch (error) {
    if (errorStatus(error) !== 401) throw error;
    return call(await getKey({ fresh: true }));
  }
}
