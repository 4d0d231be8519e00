import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/** Structured JSON logs (pino) to stdout; one logger per process, children per component. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.name ?? 'pdx' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(opts);
}

/** A logger that writes nothing; for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
