import Table from "cli-table3";

export interface OutputOptions {
  json?: boolean;
}

const formatCell = (value: unknown): string => {
  if (value === null || value === undefined) return "-";
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (Array.isArray(value)) return value.length ? value.join(", ") : "-";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return value.toString();
  return JSON.stringify(value) ?? "-";
};

/** Rows as a table for people, or as JSON with `--json` for scripts. */
export function printRows(rows: readonly Record<string, unknown>[], options: OutputOptions, empty: string) {
  if (options.json) return printJson(rows);
  const first = rows[0];
  if (!first) return void process.stdout.write(`${empty}\n`);
  const head = Object.keys(first);
  const table = new Table({ head, style: { head: ["cyan"] } });
  for (const row of rows) table.push(head.map((column) => formatCell(row[column])));
  process.stdout.write(`${table.toString()}\n`);
}

export function printJson(value: unknown) {
  process.stdout.write(
    `${JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
  );
}

/** One human line, or the given object with `--json`. */
export function printResult(message: string, value: unknown, options: OutputOptions) {
  if (options.json) printJson(value);
  else process.stdout.write(`${message}\n`);
}
