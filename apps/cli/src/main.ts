import { CommanderError } from "commander";
import { describeCliError } from "./cli-error.ts";
import { CliContext } from "./context.ts";
import { loadCliEnv } from "./env.ts";
import { buildProgram } from "./program.ts";

let context: CliContext | undefined;
const program = buildProgram(() => (context ??= new CliContext(loadCliEnv()))).exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    const { message, exitCode } = describeCliError(error, context?.databaseHost ?? null);
    process.stderr.write(`aiaas: ${message}\n`);
    process.exitCode = exitCode;
  }
} finally {
  await context?.close();
}
