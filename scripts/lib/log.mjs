// Console output of the start and test scripts: one style, no dependencies.
import { styleText } from "node:util";

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
export const paint = (style, text) => (useColour ? styleText(style, text) : text);

export const step = (text) => console.log(`${paint("cyan", "›")} ${text}`);
export const ok = (text) => console.log(`${paint("green", "✓")} ${text}`);
export const warn = (text) => console.log(`${paint("yellow", "!")} ${text}`);

/** Thrown for a problem the user must fix; shown as one line, exit code 1. */
export class StartError extends Error {}

export function fail(message) {
  throw new StartError(message);
}

/** Runs `main`, printing a StartError as one clear line and exiting 1. */
export async function runMain(main) {
  try {
    await main();
  } catch (error) {
    if (error instanceof StartError) {
      console.error(`${paint("red", "✗")} ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
