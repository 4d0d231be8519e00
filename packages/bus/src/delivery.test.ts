import { PdxError, SchemaRegistry } from '@pdx/contracts';
import { ManualClock, RuntimeError, silentLogger } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { type DeliveryContext, deliver, type RawMessage } from './delivery.js';
import { BusError } from './errors.js';
import { type DeadLetter, deadLetterHeaders } from './event-bus.js';
import { samplePartyRegistered } from './testing.js';

const registry = new SchemaRegistry();
const value = Buffer.from(JSON.stringify(samplePartyRegistered(registry, 'acme')), 'utf8');
const raw: RawMessage = { topic: 'pdx.parties', partition: 0, offset: '0', key: null, value, headers: {} };

/** Delivers one event to a handler that throws `failures` in turn, then succeeds. */
async function deliverThrough(failures: readonly unknown[]) {
  const letters: DeadLetter[] = [];
  let calls = 0;
  const ctx: DeliveryContext = {
    group: 'g',
    registry,
    handler: async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
    },
    retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 1 },
    clock: new ManualClock('2026-01-01T00:00:00Z'),
    logger: silentLogger(),
    deadLetter: async (letter) => {
      letters.push(letter);
    },
  };
  const outcome = await deliver(raw, ctx);
  return { outcome, calls, reasons: letters.map((l) => l.headers[deadLetterHeaders.reason]) };
}

const times = (n: number, error: () => unknown) => Array.from({ length: n }, error);

describe('deliver tells what to do with a handler error by its type', () => {
  it.each([
    // A coded refusal (not retriable) cannot change on another attempt: dead-lettered at once, its code the reason.
    ['a PdxError refusal', () => new PdxError('PDX_PARTY_NOT_FOUND', 'no party'), 1, 'PDX_PARTY_NOT_FOUND'],
    [
      'a StoreError-like duplicate',
      () => new PdxError('PDX_STORE_DUPLICATE', 'E11000'),
      1,
      'PDX_STORE_DUPLICATE',
    ],
    [
      'a message the log refuses for its size',
      () => new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'too large', { messageTooLarge: true }),
      1,
      'PDX_EVENT_LOG_UNAVAILABLE',
    ],
    [
      'a configuration mistake',
      () => new RuntimeError('PDX_CONFIG_INVALID', 'X must be set'),
      1,
      'PDX_CONFIG_INVALID',
    ],
    // A bug: at once, as a handler failure.
    ['a TypeError', () => new TypeError('undefined is not a function'), 1, 'PDX_HANDLER_FAILED'],
    // Of unknown kind: tried the policy's 3 times, then dead-lettered.
    ['a plain Error', () => new Error('boom'), 3, 'PDX_HANDLER_FAILED'],
    // Duck-typing is not trusted: an error that only says it is retriable is of unknown kind.
    [
      'a plain Error saying retriable',
      () => Object.assign(new Error('down'), { retriable: true }),
      3,
      'PDX_HANDLER_FAILED',
    ],
  ])('%s: %i attempt(s), then dead-lettered with %s', async (_name, error, attempts, reason) => {
    const result = await deliverThrough(times(10, error));
    expect(result).toEqual({ outcome: 'dead-lettered', calls: attempts, reasons: [reason] });
  });

  it.each([
    ['the database is down', () => new PdxError('PDX_STORE_UNAVAILABLE', 'down')],
    ['the log is down', () => new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'Kafka did not answer')],
    ['the record is contended', () => new PdxError('PDX_CHANGE_CONTENDED', 'changed under us')],
  ])(
    'a retriable PdxError (%s) holds the event beyond the retry budget until it succeeds',
    async (_name, error) => {
      const result = await deliverThrough(times(7, error));
      expect(result).toEqual({ outcome: 'handled', calls: 8, reasons: [] });
    },
  );
});
