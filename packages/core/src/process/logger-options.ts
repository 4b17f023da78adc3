import type { LoggerOptions } from "pino";

export type LogFormat = "json" | "pretty";

/**
 * Logger settings shared by the Node services: JSON lines in production,
 * one readable line per event for people (`LOG_FORMAT=pretty`, as npm start
 * sets). Credentials are redacted wherever they might appear.
 */
export function loggerOptions(level: string, format: LogFormat): LoggerOptions {
  return {
    level,
    redact: ["req.headers.authorization", "req.headers.cookie", "headers.authorization"],
    ...(format === "pretty" && {
      transport: { target: "pino-pretty", options: { colorize: true, singleLine: true, ignore: "pid,hostname" } },
    }),
  };
}
