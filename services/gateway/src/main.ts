#!/usr/bin/env node
import { createLogger, handleShutdown } from '@pdx/runtime';
import { createGateway } from './gateway.js';

const logger = createLogger({ name: 'pdx-gateway', level: process.env.LOG_LEVEL ?? 'info' });
try {
  const gateway = createGateway({ env: process.env, logger });
  handleShutdown(logger, () => gateway.stop());
  await gateway.start();
} catch (error) {
  logger.fatal({ err: error }, 'could not start');
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
}
