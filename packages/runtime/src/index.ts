export { type Clock, isoNow, ManualClock, systemClock } from './clock.js';
export { ConfigReader, type Env } from './config.js';
export { RuntimeError, type RuntimeErrorCode } from './errors.js';
export { handleShutdown, type Stoppable } from './lifecycle.js';
export { createLogger, type Logger, silentLogger } from './logger.js';
export {
  type Counter,
  counter,
  createMetricsRegistry,
  type Gauge,
  type Histogram,
  histogram,
  type MetricsRegistry,
  sampledGauge,
} from './metrics.js';
export { PeriodicTask } from './periodic.js';
export {
  backoffDelay,
  defaultRetryPolicy,
  describe as describeError,
  type RetryOptions,
  type RetryPolicy,
  retry,
  sleep,
} from './retry.js';
