import { createHash } from 'node:crypto';
import {
  contentHash,
  createEvent,
  PdxError,
  type PdxEvent,
  type SchemaRegistry,
  topics,
} from '@pdx/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeliveryMeta, deadLetterHeaders, type EventBus } from './event-bus.js';

/** RFC 8037 appendix A public key; any valid Ed25519 key does for events in tests. */
export const sampleJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  kid: 'rfc8037',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
} as const;

/** A valid party.registered.v1 event for `partyId`; `n` varies the content. */
export function samplePartyRegistered(registry: SchemaRegistry, partyId: string, n = 0): PdxEvent {
  const party = {
    partyId,
    legalName: `Party ${partyId} #${n}`,
    country: 'DE',
    roles: ['partner' as const],
    jwks: { keys: [{ ...sampleJwk }] },
  };
  return createEvent(registry, {
    type: 'org.pdx.party.registered.v1',
    subject: partyId,
    source: 'urn:pdx:test',
    time: Date.UTC(2026, 0, 1) + n,
    data: {
      party,
      registeredAt: new Date(Date.UTC(2026, 0, 1) + n).toISOString(),
      registeredBy: 'test',
      contentHash: contentHash(party),
    },
  });
}

/** A message as read back from the log: the value byte for byte. */
export interface LoggedMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** What the contract suite needs from an adapter under test. */
export interface BusHarness {
  /** A started bus on a fresh, empty log. */
  bus: EventBus;
  /**
   * The largest message (key, value and headers) the log accepts on the topics of this
   * harness: Kafka's max.message.bytes, which the harness sets low on its topics.
   */
  messageLimitBytes: number;
  /** Writes a raw message (poison) to a topic of the same log. */
  injectRaw(
    topic: string,
    key: string,
    value: string | Uint8Array,
    headers?: Record<string, string>,
  ): Promise<void>;
  /** Waits until the dead-letter topic holds at least `count` messages and returns them all. */
  deadLetters(count: number): Promise<LoggedMessage[]>;
  /** Another bus on the same log, as a restarted process would have. */
  reopen(): Promise<EventBus>;
  cleanup(): Promise<void>;
}

export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * The behaviour every EventBus adapter must have, run unchanged against the embedded log
 * and against Kafka.
 */
export function eventBusContract(
  name: string,
  registry: SchemaRegistry,
  makeHarness: () => Promise<BusHarness>,
): void {
  describe(`EventBus contract: ${name}`, () => {
    let h: BusHarness;
    const extra: EventBus[] = [];
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      for (const b of extra.splice(0)) await b.close();
      await h.cleanup();
    });

    it('delivers every event to a new group, in publication order per key', async () => {
      const events = ['a', 'b', 'c'].flatMap((p) =>
        [0, 1, 2, 3].map((n) => samplePartyRegistered(registry, `p-${p}`, n)),
      );
      await h.bus.publish(events);
      const seen: PdxEvent[] = [];
      const sub = await h.bus.subscribe({
        group: 'g1',
        topics: [topics.parties],
        handler: async (e) => {
          seen.push(e);
        },
      });
      await eventually(() => expect(seen).toHaveLength(events.length));
      await sub.stop();
      for (const p of ['p-a', 'p-b', 'p-c']) {
        expect(seen.filter((e) => e.subject === p).map((e) => e.id)).toEqual(
          events.filter((e) => e.subject === p).map((e) => e.id),
        );
      }
      expect(seen[0]).toEqual(events.find((e) => e.id === seen[0]!.id));
    });

    it('gives each group every event, and events published after subscribing', async () => {
      const seen = { g1: new Set<string>(), g2: new Set<string>() };
      const subs = await Promise.all(
        (['g1', 'g2'] as const).map((g) =>
          h.bus.subscribe({
            group: g,
            topics: [topics.parties],
            handler: async (e) => {
              seen[g].add(e.id);
            },
          }),
        ),
      );
      const events = [1, 2, 3, 4, 5].map((n) => samplePartyRegistered(registry, `party-${n}`, n));
      for (const e of events) await h.bus.publish([e]);
      await eventually(() => {
        expect(seen.g1.size).toBe(5);
        expect(seen.g2.size).toBe(5);
      });
      for (const s of subs) await s.stop();
    });

    it('retries a failing handler with backoff and does not dead-letter what then succeeds', async () => {
      const event = samplePartyRegistered(registry, 'flaky');
      const attempts: number[] = [];
      const sub = await h.bus.subscribe({
        group: 'g-retry',
        topics: [topics.parties],
        retry: { attempts: 4, initialDelayMs: 5, maxDelayMs: 20 },
        handler: async (_e, meta: DeliveryMeta) => {
          attempts.push(meta.attempt);
          if (meta.attempt < 3) throw new Error('database hiccup');
        },
      });
      await h.bus.publish([event]);
      await eventually(() => expect(attempts).toEqual([1, 2, 3]));
      // A marker event proves the group moved past the flaky one without a dead letter.
      await h.injectRaw(topics.parties, 'marker', 'not json');
      const letters = await h.deadLetters(1);
      await sub.stop();
      expect(letters).toHaveLength(1);
      expect(letters[0]!.key).toBe('marker');
    });

    it('holds an event while a dependency is unavailable, beyond the retry budget, instead of dead-lettering it', async () => {
      const event = samplePartyRegistered(registry, 'patient');
      let calls = 0;
      const sub = await h.bus.subscribe({
        group: 'g-outage',
        topics: [topics.parties],
        retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 20 },
        handler: async () => {
          calls++;
          if (calls <= 7) throw new PdxError('PDX_STORE_UNAVAILABLE', 'database unavailable');
        },
      });
      await h.bus.publish([event]);
      await eventually(() => expect(calls).toBe(8));
      await h.injectRaw(topics.parties, 'marker', 'not json');
      const letters = await h.deadLetters(1);
      await sub.stop();
      expect(letters.map((l) => l.key)).toEqual(['marker']);
    });

    it('dead-letters poison and failing events with the reason and original headers, and keeps consuming', async () => {
      const good1 = samplePartyRegistered(registry, 'good-1');
      const bad = samplePartyRegistered(registry, 'fails-always');
      const good2 = samplePartyRegistered(registry, 'good-2');
      const handled: string[] = [];
      const sub = await h.bus.subscribe({
        group: 'g-dlq',
        topics: [topics.parties],
        retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
        handler: async (e) => {
          if (e.subject === 'fails-always') throw new Error('cannot apply');
          handled.push(e.subject);
        },
      });
      await h.bus.publish([good1]);
      await h.injectRaw(topics.parties, 'poison-json', '{not json', { 'x-trace': 't-1' });
      await h.injectRaw(topics.parties, 'poison-envelope', JSON.stringify({ specversion: '1.0', id: 'x' }));
      await h.injectRaw(
        topics.parties,
        'poison-type',
        JSON.stringify({ ...good1, id: 'u', type: 'org.pdx.nope.v1' }),
      );
      await h.injectRaw(
        topics.parties,
        'poison-data',
        JSON.stringify({ ...good1, id: 'd', data: { ...good1.data, registeredAt: 'yesterday' } }),
      );
      await h.bus.publish([bad, good2]);
      await eventually(() => expect(handled).toEqual(['good-1', 'good-2']));
      const letters = await h.deadLetters(5);
      await sub.stop();
      const byKey = new Map(letters.map((l) => [l.key, l]));
      expect(byKey.get('poison-json')?.headers[deadLetterHeaders.reason]).toBe('PDX_EVENT_ENVELOPE_INVALID');
      expect(byKey.get('poison-json')?.headers['x-trace']).toBe('t-1');
      expect(byKey.get('poison-json')?.value.toString()).toBe('{not json');
      expect(byKey.get('poison-envelope')?.headers[deadLetterHeaders.reason]).toBe(
        'PDX_EVENT_ENVELOPE_INVALID',
      );
      expect(byKey.get('poison-type')?.headers[deadLetterHeaders.reason]).toBe('PDX_EVENT_TYPE_UNKNOWN');
      expect(byKey.get('poison-data')?.headers[deadLetterHeaders.reason]).toBe('PDX_EVENT_DATA_INVALID');
      const failed = byKey.get('fails-always');
      expect(failed?.headers[deadLetterHeaders.reason]).toBe('PDX_HANDLER_FAILED');
      expect(failed?.headers[deadLetterHeaders.error]).toContain('cannot apply');
      expect(failed?.headers[deadLetterHeaders.attempts]).toBe('2');
      expect(failed?.headers[deadLetterHeaders.group]).toBe('g-dlq');
      expect(JSON.parse(failed!.value.toString()).id).toBe(bad.id);
    });

    it('dead-letters the original bytes exactly, also when they are not UTF-8', async () => {
      const handled: string[] = [];
      const sub = await h.bus.subscribe({
        group: 'g-bytes',
        topics: [topics.parties],
        retry: { attempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
        handler: async (e) => {
          if (e.subject === 'fails-spaced') throw new Error('cannot apply');
          handled.push(e.subject);
        },
      });
      const latin1 = Buffer.from('{"legalName":"M\xfcller"}', 'latin1');
      const truncatedUtf8 = Buffer.from([0x7b, 0x22, 0xc3]);
      // Valid JSON the log does not normalise: the dead letter must not re-serialise it.
      const spaced = Buffer.from(JSON.stringify(samplePartyRegistered(registry, 'fails-spaced'), null, 2));
      await h.injectRaw(topics.parties, 'latin1', latin1);
      await h.injectRaw(topics.parties, 'cut-utf8', truncatedUtf8);
      await h.injectRaw(topics.parties, 'fails-spaced', spaced);
      await h.bus.publish([samplePartyRegistered(registry, 'latin1')]);
      await eventually(() => expect(handled).toEqual(['latin1']));
      const letters = await h.deadLetters(3);
      await sub.stop();
      const byKey = new Map(letters.map((l) => [l.key, l]));
      for (const [key, bytes] of [
        ['latin1', latin1],
        ['cut-utf8', truncatedUtf8],
        ['fails-spaced', spaced],
      ] as const) {
        const letter = byKey.get(key)!;
        expect(letter.value.equals(bytes), key).toBe(true);
        expect(letter.headers[deadLetterHeaders.valueBytes]).toBe(String(bytes.length));
        expect(letter.headers[deadLetterHeaders.valueSha256]).toBe(sha256(bytes));
        expect(letter.headers[deadLetterHeaders.truncated]).toBeUndefined();
      }
      expect(byKey.get('latin1')!.headers[deadLetterHeaders.reason]).toBe('PDX_EVENT_ENVELOPE_INVALID');
      expect(byKey.get('latin1')!.headers[deadLetterHeaders.error]).toContain('UTF-8');
      expect(byKey.get('fails-spaced')!.headers[deadLetterHeaders.reason]).toBe('PDX_HANDLER_FAILED');
    });

    it('dead-letters a message too large to travel with the dead-letter headers as a digest and a prefix, and keeps consuming', async () => {
      const handled: string[] = [];
      const failingEvent = samplePartyRegistered(registry, 'big-failing');
      const sub = await h.bus.subscribe({
        group: 'g-big',
        topics: [topics.parties],
        retry: { attempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
        handler: async (e) => {
          if (e.id === failingEvent.id) throw new Error('cannot apply');
          handled.push(e.subject);
        },
      });
      // Just under the limit: the log takes each, but not with the dead-letter headers added.
      const room = h.messageLimitBytes - 200;
      const poison = Buffer.alloc(room - 'big-poison'.length, 'x');
      const failing = JSON.stringify(failingEvent);
      const padded = Buffer.from(failing + ' '.repeat(room - 'big-failing'.length - failing.length));
      await h.injectRaw(topics.parties, 'big-poison', poison);
      await h.injectRaw(topics.parties, 'big-failing', padded);
      // Behind each, on the same key (so the same partition), an event that must get through.
      await h.bus.publish([
        samplePartyRegistered(registry, 'big-poison'),
        samplePartyRegistered(registry, 'big-failing', 1),
      ]);
      await eventually(() => expect(handled.sort()).toEqual(['big-failing', 'big-poison']), 30_000);
      const letters = await h.deadLetters(2);
      await sub.stop();
      const byKey = new Map(letters.map((l) => [l.key, l]));
      for (const [key, bytes, reason] of [
        ['big-poison', poison, 'PDX_EVENT_ENVELOPE_INVALID'],
        ['big-failing', padded, 'PDX_HANDLER_FAILED'],
      ] as const) {
        const letter = byKey.get(key)!;
        expect(letter.headers[deadLetterHeaders.reason]).toBe(reason);
        expect(letter.headers[deadLetterHeaders.truncated]).toBe('true');
        expect(letter.headers[deadLetterHeaders.valueBytes]).toBe(String(bytes.length));
        expect(letter.headers[deadLetterHeaders.valueSha256]).toBe(sha256(bytes));
        expect(letter.value.length).toBeGreaterThan(0);
        expect(letter.value.length).toBeLessThan(bytes.length);
        expect(letter.value.equals(bytes.subarray(0, letter.value.length))).toBe(true);
        expect(letter.headers[deadLetterHeaders.topic]).toBe(topics.parties);
      }
    });

    it('reports each subscription joining, then joined once it consumes, and forgets it when stopped', async () => {
      const seen: string[] = [];
      const sub = await h.bus.subscribe({
        group: 'g-state',
        topics: [topics.parties],
        handler: async (e) => {
          seen.push(e.id);
        },
      });
      const states = () => h.bus.subscriptionStates().filter((s) => s.group === 'g-state');
      expect(states()).toHaveLength(1);
      expect(['joining', 'joined']).toContain(states()[0]!.state);
      await h.bus.publish([samplePartyRegistered(registry, 'state')]);
      await eventually(() => expect(seen).toHaveLength(1));
      expect(states()).toMatchObject([{ group: 'g-state', state: 'joined' }]);
      await sub.stop();
      expect(states()).toEqual([]);
    });

    it('resumes a group after a restart without losing or redelivering committed events', async () => {
      const first = [1, 2, 3].map((n) => samplePartyRegistered(registry, `r-${n}`, n));
      await h.bus.publish(first);
      const seen: string[] = [];
      const handler = async (e: PdxEvent) => {
        seen.push(e.id);
      };
      const sub = await h.bus.subscribe({ group: 'g-resume', topics: [topics.parties], handler });
      await eventually(() => expect(seen).toHaveLength(3));
      await sub.stop();
      const second = [4, 5].map((n) => samplePartyRegistered(registry, `r-${n}`, n));
      await h.bus.publish(second);
      const again = await h.reopen();
      extra.push(again);
      const sub2 = await again.subscribe({ group: 'g-resume', topics: [topics.parties], handler });
      await eventually(() => expect(seen).toHaveLength(5));
      // Give a wrongly rewound consumer the time to deliver old events again.
      await new Promise((r) => setTimeout(r, 500));
      await sub2.stop();
      expect([...seen].sort()).toEqual([...first, ...second].map((e) => e.id).sort());
    });
  });
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

declare module 'vitest' {
  /** Provided by the integration tests' globalSetup (test/infra/global-setup.ts). */
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}
