import { createLogger, handleShutdown } from '@pdx/runtime';
import { createHost } from './host.js';
import type { ServiceDefinition } from './service-module.js';

/** Entry point body shared by every service binary: build, start, stop on SIGTERM. */
export async function runMain(
  name: string,
  services: readonly ServiceDefinition[],
  options: { consoleDir?: string } = {},
): Promise<void> {
  const logger = createLogger({ name, level: process.env.LOG_LEVEL ?? 'info' });
  try {
    const host = await createHost({ name, services, env: process.env, logger, ...options });
    handleShutdown(logger, () => host.stop());
    await host.start();
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exitCode = 1;
    // Give pino a tick to flush, then leave: half-started connections must not keep us alive.
    setTimeout(() => process.exit(1), 100).unref();
  }
}
