import { Writable } from 'node:stream';
import { deterministicEventId } from '@pdx/contracts';
import { ManualClock } from '@pdx/runtime';
import type { Collection, Filter, FindOptions } from '@pdx/store';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertDoc } from '../alert-records.js';
import { AlertFeed } from './alert-feed.js';
import { AlertStreamSession, parseLastEventId, type StreamPosition } from './alert-stream.js';

const T0 = Date.parse('2027-03-01T00:00:00Z');

function alertAt(createdMs: number, n: number, buyerId = 'globex'): AlertDoc {
  return {
    id: deterministicEventId('alert', String(n), buyerId),
    buyerId,
    kind: 'expiring',
    certificateId: `cert-${n}`,
    holder: 'acme',
    schemeId: 'iso-28000',
    number: `N-${n}`,
    occurredAt: new Date(createdMs).toISOString(),
    summary: `alert ${n}`,
    sourceEventId: `event-${n}`,
    createdAt: new Date(createdMs).toISOString(),
    createdMs,
    acknowledged: false,
  };
}

/**
 * The store's find as the port defines it (equality, sort with ties by id, keyset after,
 * limit) over an array, counting queries: the unit under test is the stream, not the store.
 */
function alertCollection(docs: AlertDoc[]) {
  const queries: FindOptions[] = [];
  const find = async (filter: Filter, options: FindOptions = {}) => {
    queries.push(options);
    const key = (a: AlertDoc) => [a.createdMs, a.id] as const;
    const before = (x: readonly [number, string], y: readonly [number, string]) =>
      x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
    const after = options.after ? ([options.after.value as number, options.after.id] as const) : undefined;
    return docs
      .filter((a) =>
        Object.entries(filter).every(([k, v]) => (a as unknown as Record<string, unknown>)[k] === v),
      )
      .filter((a) => after === undefined || before(after, key(a)))
      .sort((a, b) => (before(key(a), key(b)) ? -1 : 1))
      .slice(0, options.limit)
      .map((a) => ({ ...a }));
  };
  return { find: find as Collection<AlertDoc>['find'], queries };
}

/** A client that reads only when told: what it has read, and the bytes the server still holds for it. */
class SlowReader extends Writable {
  readonly received: string[] = [];
  #held: (() => void)[] = [];
  #reading = false;
  constructor() {
    super({ highWaterMark: 4096, decodeStrings: false });
  }
  override _write(chunk: unknown, _encoding: string, done: () => void): void {
    this.received.push(String(chunk));
    if (this.#reading) done();
    else this.#held.push(done);
  }
  read(): void {
    this.#reading = true;
    for (const done of this.#held.splice(0)) done();
  }
  pause(): void {
    this.#reading = false;
  }
  /** "<number>" of every alert event read, in order. */
  numbers(): string[] {
    return this.received.map((event) => JSON.parse(event.split('data: ')[1]!).number as string);
  }
}

const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};
/** Lets the event loop run (no timers, no sleeping) until `done` holds. */
const until = async (done: () => boolean) => {
  for (let i = 0; i < 100_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('the alert stream', () => {
  const sessions: AlertStreamSession[] = [];
  const open = (
    deps: ConstructorParameters<typeof AlertStreamSession>[0],
    out: Writable,
    at: StreamPosition,
  ) => {
    const session = new AlertStreamSession(deps, out, at);
    sessions.push(session);
    session.start();
    return session;
  };
  afterEach(() => {
    for (const s of sessions.splice(0)) s.close();
  });

  it('sends every alert after Last-Event-ID, in order, none twice, a page at a time, holding back for a slow reader', async () => {
    const clock = new ManualClock(T0 + 3_600_000);
    // 5,000 alerts, ten per millisecond (ties are ordered by id), and another buyer's between them.
    const docs = Array.from({ length: 5_000 }, (_, n) => alertAt(T0 + Math.floor(n / 10), n));
    docs.push(...Array.from({ length: 50 }, (_, n) => alertAt(T0 + n, 10_000 + n, 'umbrella')));
    const stored = [...docs].reverse(); // stored out of order
    const store = alertCollection(stored);
    const ordered = docs
      .filter((a) => a.buyerId === 'globex')
      .sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1));
    const resumeAfter = ordered[999]!;
    const feed = new AlertFeed(clock, 0);
    const reader = new SlowReader();
    const session = open(
      { alerts: store, feed, buyerId: 'globex', onError: (e) => reader.destroy(e as Error) },
      reader,
      parseLastEventId(`${resumeAfter.createdMs}:${resumeAfter.id}`)!,
    );
    await turns();
    // The reader reads nothing: the stream stopped once the socket was full, one page read.
    const eventBytes = reader.received[0]!.length;
    expect(reader.writableLength).toBeLessThanOrEqual(reader.writableHighWaterMark + eventBytes);
    expect(reader.received.length + reader.writableLength / eventBytes).toBeLessThan(60);
    expect(store.queries).toHaveLength(1);
    expect(store.queries[0]).toMatchObject({ limit: 200, sort: { field: 'createdMs', order: 1 } });

    // New alerts arrive through the feed while the backlog is still being sent.
    reader.read();
    const fresh: AlertDoc[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      const createdMs = feed.open();
      const alert = alertAt(createdMs, 20_000 + i);
      stored.push(alert);
      fresh.push(alert);
      feed.close(createdMs, alert);
      await turns(2);
    }
    // The newest becomes readable once its millisecond is over.
    clock.advance(1);
    await session.pull();
    const expected = [...ordered.slice(1_000), ...fresh].map((a) => a.number);
    await until(() => reader.received.length >= expected.length);
    await turns();
    expect(reader.numbers()).toEqual(expected);
    expect(new Set(reader.numbers()).size).toBe(expected.length);
    // Pages, not one query: 4,000 alerts in pages of 200 (plus the live ones' reads).
    expect(Math.max(...store.queries.map((q) => q.limit ?? Number.POSITIVE_INFINITY))).toBe(200);
    expect(store.queries.length).toBeGreaterThanOrEqual(20);
  });

  it('does not pass an alert that is still being written, so it is not skipped when it lands', async () => {
    const clock = new ManualClock(T0);
    const docs: AlertDoc[] = [];
    const store = alertCollection(docs);
    const feed = new AlertFeed(clock, 0);
    const reader = new SlowReader();
    reader.read();
    const session = open({ alerts: store, feed, buyerId: 'globex', onError: () => {} }, reader, {
      createdMs: T0,
      alertId: '',
    });
    clock.advance(5);
    const slow = feed.open(); // a write that takes long, T0 + 5
    clock.advance(5);
    const quick = feed.open(); // a later one that is stored first, T0 + 10
    const later = alertAt(quick, 2);
    docs.push(later);
    feed.close(quick, later);
    clock.advance(5);
    await session.pull();
    await turns();
    expect(reader.numbers()).toEqual([]); // T0 + 10 waits for T0 + 5
    const earlier = alertAt(slow, 1);
    docs.push(earlier);
    feed.close(slow, earlier);
    await turns();
    expect(reader.numbers()).toEqual(['N-1', 'N-2']);
    // The feed hands out times that never go back, even when the clock does.
    clock.set(T0);
    const next = feed.open();
    expect(next).toBe(quick);
    feed.close(next);
  });

  it('keeps a settle time behind the clock for alerts other replicas store late', async () => {
    const clock = new ManualClock(T0 + 10_000);
    const feed = new AlertFeed(clock, 1_000);
    expect(feed.horizon()).toBe(T0 + 9_000);
    const open = feed.open();
    expect(feed.horizon()).toBe(T0 + 9_000);
    clock.advance(5_000);
    expect(feed.horizon()).toBe(open - 1);
    feed.close(open);
    expect(feed.horizon()).toBe(T0 + 14_000);
    expect(() => feed.close(open)).toThrow(TypeError);
  });

  it('refuses a Last-Event-ID it did not send: PDX_REQUEST_INVALID at the header', () => {
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId('')).toBeUndefined();
    const id = deterministicEventId('alert', '1', 'globex');
    expect(parseLastEventId(`1800000000000:${id}`)).toEqual({ createdMs: 1_800_000_000_000, alertId: id });
    for (const bad of ['1800000000000', `x:${id}`, `-1:${id}`, `1800000000000:${id.toUpperCase()}`, '1:2']) {
      let error: unknown;
      try {
        parseLastEventId(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toMatchObject({ code: 'PDX_REQUEST_INVALID', pointer: '/headers/last-event-id' });
    }
  });
});
