export interface ShutdownLogger {
  info(message: string): void;
  error(object: unknown, message: string): void;
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits: 0 when every step of the
 * orderly shutdown finished, 1 when one failed.
 */
export function onShutdown(log: ShutdownLogger, stop: () => Promise<void>) {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", handle);
  process.once("SIGINT", handle);
}
