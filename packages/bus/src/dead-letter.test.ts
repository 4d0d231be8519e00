import { createHash } from 'node:crypto';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_PREFIX_BYTES, writeDeadLetter } from './dead-letter.js';
import type { RawMessage } from './delivery.js';
import { BusError } from './errors.js';
import { type DeadLetter, deadLetterHeaders } from './event-bus.js';

const raw = (value: Buffer, headers: RawMessage['headers'] = {}): RawMessage => ({
  topic: 'pdx.parties',
  partition: 2,
  offset: '41',
  key: Buffer.from('acme'),
  value,
  headers,
});

const sizeOf = (letter: DeadLetter): number =>
  (letter.key?.length ?? 0) +
  letter.value.length +
  Object.entries(letter.headers).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(String(v)), 0);

/** A log that refuses messages over `limit` bytes, as Kafka does with max.message.bytes. */
function limitedLog(limit: number) {
  const written: DeadLetter[] = [];
  const tried: number[] = [];
  return {
    written,
    tried,
    deadLetter: async (letter: DeadLetter) => {
      tried.push(letter.value.length);
      if (sizeOf(letter) > limit) {
        throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'too large', { messageTooLarge: true });
      }
      written.push(letter);
    },
  };
}

const context = (deadLetter: (l: DeadLetter) => Promise<void>, signal?: AbortSignal) => ({
  group: 'g',
  clock: new ManualClock('2026-05-01T00:00:00Z'),
  logger: silentLogger(),
  retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
  deadLetter,
  ...(signal ? { signal } : {}),
});

const failure = { reason: 'PDX_HANDLER_FAILED', error: new Error('x'.repeat(5_000)), attempts: 4 };

describe('writing a dead letter', () => {
  it('writes the whole original when it fits, with its size and digest', async () => {
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const log = limitedLog(10_000);
    await writeDeadLetter(raw(value, { trace: Buffer.from([0xc3]) }), failure, context(log.deadLetter));
    const [letter] = log.written;
    expect(letter?.value.equals(value)).toBe(true);
    expect(letter?.key?.toString()).toBe('acme');
    expect(letter?.headers.trace).toEqual(Buffer.from([0xc3]));
    expect(letter?.headers).toMatchObject({
      [deadLetterHeaders.reason]: 'PDX_HANDLER_FAILED',
      [deadLetterHeaders.topic]: 'pdx.parties',
      [deadLetterHeaders.partition]: '2',
      [deadLetterHeaders.offset]: '41',
      [deadLetterHeaders.attempts]: '4',
      [deadLetterHeaders.time]: '2026-05-01T00:00:00.000Z',
      [deadLetterHeaders.valueBytes]: '3',
      [deadLetterHeaders.valueSha256]: createHash('sha256').update(value).digest('hex'),
    });
    expect(String(letter?.headers[deadLetterHeaders.error])).toHaveLength(2_000);
    expect(letter?.headers[deadLetterHeaders.truncated]).toBeUndefined();
  });

  it('keeps a bounded prefix when the whole message cannot travel, trying a few sizes', async () => {
    const value = Buffer.alloc(1_000_000, 7);
    const log = limitedLog(1_000_000);
    await writeDeadLetter(raw(value), failure, context(log.deadLetter));
    expect(log.tried).toEqual([1_000_000, DEAD_LETTER_PREFIX_BYTES]);
    expect(log.written[0]?.headers[deadLetterHeaders.truncated]).toBe('true');
    expect(log.written[0]?.headers[deadLetterHeaders.valueBytes]).toBe('1000000');
  });

  it('shrinks the prefix until it fits under a small limit', async () => {
    const log = limitedLog(4_000);
    await writeDeadLetter(raw(Buffer.alloc(3_900, 1)), failure, context(log.deadLetter));
    expect(log.tried).toEqual([3_900, 1_950, 487]);
    expect(log.written[0]?.value.length).toBe(487);
  });

  it('leaves out the original headers as a last resort, and says how many', async () => {
    const log = limitedLog(3_000);
    const headers = { a: Buffer.alloc(3_000), b: Buffer.from('x') };
    await writeDeadLetter(raw(Buffer.from('{}'), headers), failure, context(log.deadLetter));
    const [letter] = log.written;
    expect(letter?.value.length).toBe(0);
    expect(letter?.headers.a).toBeUndefined();
    expect(letter?.headers[deadLetterHeaders.headersDropped]).toBe('2');
    expect(String(letter?.headers[deadLetterHeaders.error])).toHaveLength(200);
  });

  it('retries the same letter while the log is unavailable, and gives up only on shutdown', async () => {
    let calls = 0;
    const written: DeadLetter[] = [];
    await writeDeadLetter(
      raw(Buffer.from('x')),
      failure,
      context(async (letter) => {
        if (++calls < 4) throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'down');
        written.push(letter);
      }, new AbortController().signal),
    );
    expect(calls).toBe(4);
    expect(written[0]?.headers[deadLetterHeaders.truncated]).toBeUndefined();

    const stopping = new AbortController();
    const down = writeDeadLetter(
      raw(Buffer.from('x')),
      failure,
      context(async () => {
        stopping.abort();
        throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'down');
      }, stopping.signal),
    );
    await expect(down).rejects.toMatchObject({ code: 'PDX_EVENT_LOG_UNAVAILABLE' });
  });
});
