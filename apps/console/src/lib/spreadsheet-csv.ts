import { stringify, type Options } from "csv-stringify/sync";

/** What a spreadsheet reads as the start of a formula (OWASP: CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet shows as text: one that would start a formula gets a leading apostrophe. */
export const spreadsheetSafe = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * CSV for people to open in a spreadsheet: every text cell (names, user
 * agents, metadata: whatever users typed) is made inert, so
 * `=HYPERLINK(...)` in a key's name is shown, never run.
 */
export function spreadsheetCsv(rows: unknown[][], options: Options): string {
  return stringify(rows, { ...options, cast: { ...options.cast, string: spreadsheetSafe } });
}
