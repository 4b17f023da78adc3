import type { LoggerOptions } from "pino";

export type LogFormat = "json" | "pretty";

/**
 * Logger settings shared by the Node services: JSON lines in production,
 * one readable line per event for people (`LOG_FORMAT=pretty`, as npm start
 * sets). Credentials are redacted wherever they might appear, and request
 * URLs are logged without their query string (a prompt may be in it).
 */
export function loggerOptions(level: string, format: LogFormat): LoggerOptions {
  return {
    level,
    redact: ["req.headers.authorization", "req.headers.cookie", "headers.authorization"],
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({
        method: req.method,
        url: req.url?.split("?")[0],
        remoteAddress: req.ip,
      }),
    },
    ...(format === "pretty" && {
      transport: { target: "pino-pretty", options: { colorize: true, singleLine: true, ignore: "pid,hostname" } },
    }),
  };
}
