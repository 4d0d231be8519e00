import type { Logger } from 'pino';

/** Something that runs and must be stopped in order on shutdown. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Stops everything registered, in reverse order of registration, on SIGTERM or SIGINT:
 * the HTTP server stops accepting first, then consumers finish in-flight work and commit,
 * then producers and databases close. A second signal exits at once.
 */
export function handleShutdown(logger: Logger, stop: () => Promise<void>, timeoutMs = 30_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
