import { describe, expect, it } from 'vitest';
import { RuntimeError } from './errors.js';
import { backoffDelay, retry } from './retry.js';

const noSleep = async () => {};

describe('retry', () => {
  it('returns the first success', async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { sleep: noSleep },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up with PDX_RETRIES_EXHAUSTED and keeps every attempt as the cause', async () => {
    const error = await retry(
      async (n) => {
        throw new Error(`attempt ${n}`);
      },
      { policy: { attempts: 3, initialDelayMs: 1, maxDelayMs: 1 }, sleep: noSleep },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('PDX_RETRIES_EXHAUSTED');
    const cause = (error as RuntimeError).cause as AggregateError;
    expect(cause.errors.map((e: Error) => e.message)).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
  });

  it('does not retry an error that is not retriable', async () => {
    let calls = 0;
    const error = await retry(
      async () => {
        calls++;
        throw new TypeError('bug');
      },
      { retriable: (e) => !(e instanceof TypeError), sleep: noSleep },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('stops retrying once aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const error = await retry(
      async () => {
        calls++;
        controller.abort();
        throw new Error('down');
      },
      { signal: controller.signal, sleep: noSleep },
    ).catch((e: unknown) => e);
    expect((error as RuntimeError).code).toBe('PDX_RETRIES_EXHAUSTED');
    expect(calls).toBe(1);
  });
});

describe('backoffDelay', () => {
  const policy = { attempts: 10, initialDelayMs: 100, maxDelayMs: 1_000 };
  it('grows exponentially and is capped', () => {
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 2, () => 0.999)).toBe(399);
    expect(backoffDelay(policy, 8, () => 0.999)).toBe(999);
  });
  it('is jittered down to zero', () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});
