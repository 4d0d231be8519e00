import { RuntimeError } from './errors.js';

export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  attempts: number;
  /** Delay before the first retry, in ms. */
  initialDelayMs: number;
  /** Upper bound of any single delay, in ms. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, initialDelayMs: 100, maxDelayMs: 2_000 };

/**
 * Capped exponential backoff with full jitter (delay = random(0, min(max, initial * 2^n))),
 * so replicas that failed together do not retry together.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

export interface RetryOptions {
  policy?: RetryPolicy;
  /** Only errors for which this returns true are retried; others are thrown at once. */
  retriable?: (error: unknown) => boolean;
  /** Aborting stops retrying (shutdown); the last error is thrown. */
  signal?: AbortSignal;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, the error is not retriable, attempts are exhausted, or the
 * signal aborts. The final error is a RuntimeError PDX_RETRIES_EXHAUSTED whose `cause` is an
 * AggregateError of every attempt's error, so nothing about the failure is lost.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  if (policy.attempts < 1) throw new TypeError('retry policy needs at least one attempt');
  const wait = options.sleep ?? sleep;
  const errors: unknown[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      errors.push(error);
      const retriable = options.retriable ? options.retriable(error) : true;
      if (!retriable) throw error;
      if (attempt >= policy.attempts || options.signal?.aborted) {
        throw new RuntimeError(
          'PDX_RETRIES_EXHAUSTED',
          `gave up after ${attempt} attempt(s): ${describe(error)}`,
          {
            cause: new AggregateError(errors, 'every attempt failed'),
          },
        );
      }
      const delay = backoffDelay(policy, attempt - 1);
      options.onRetry?.(error, attempt, delay);
      await wait(delay, options.signal);
    }
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
