import { SchemaRegistry } from '@pdx/contracts';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { type DeliveryContext, deliver, type RawMessage } from './delivery.js';
import { type DeadLetter, deadLetterHeaders } from './event-bus.js';
import { samplePartyRegistered } from './testing.js';

const registry = new SchemaRegistry();

function harness() {
  const handled: string[] = [];
  const letters: DeadLetter[] = [];
  const ctx: DeliveryContext = {
    group: 'g',
    registry,
    handler: async (event) => {
      handled.push(event.id);
    },
    retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
    clock: new ManualClock('2026-01-01T00:00:00Z'),
    logger: silentLogger(),
    deadLetter: async (letter) => {
      letters.push(letter);
    },
  };
  const message = (value: string): RawMessage => ({
    topic: 'pdx.parties',
    partition: 0,
    offset: '0',
    key: Buffer.from('acme'),
    value: Buffer.from(value, 'utf8'),
    headers: {},
  });
  return { ctx, handled, letters, message };
}

describe('deliver parses the message text, not only its decoded value', () => {
  const text = JSON.stringify(samplePartyRegistered(registry, 'acme'));

  it('hands a well-formed event to the handler', async () => {
    const h = harness();
    expect(await deliver(h.message(text), h.ctx)).toBe('handled');
    expect(h.handled).toHaveLength(1);
  });

  it.each([
    // JSON.parse keeps the second id: deduplication would see another event than the sender meant.
    [
      'a repeated id',
      text.replace('"specversion"', '"id":"other","specversion"'),
      'PDX_EVENT_ENVELOPE_INVALID',
    ],
    [
      'an Integer written 1e3',
      text.replace('"specversion"', '"retries":1e3,"specversion"'),
      'PDX_EVENT_ENVELOPE_INVALID',
    ],
    [
      'a member repeated in data',
      text.replace('"country":"DE"', '"country":"DE","country":"XX"'),
      'PDX_EVENT_DATA_INVALID',
    ],
    ['text that is not JSON', '{"id":', 'PDX_EVENT_ENVELOPE_INVALID'],
  ])('dead-letters %s without calling the handler', async (_name, value, reason) => {
    const h = harness();
    expect(await deliver(h.message(value), h.ctx)).toBe('dead-lettered');
    expect(h.handled).toEqual([]);
    expect(
      h.letters.map((l) => [l.value.toString('utf8'), l.headers[deadLetterHeaders.reason]?.toString()]),
    ).toEqual([[value, reason]]);
  });
});
