import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@pdx/runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Collection, DocumentStore } from './document-store.js';
import { openEmbeddedStore } from './embedded-store.js';
import { commitChange, flushOutboxes, type OutboxDeps, type OutboxRecord } from './outbox.js';

interface Event {
  id: string;
}
interface Thing extends OutboxRecord<Event> {
  name: string;
}

/** A log whose every publication waits until the test acknowledges or refuses it. */
function gatedLog() {
  const sends: { ids: string[]; ack(): void; fail(): void }[] = [];
  return {
    sends,
    published: () => sends.flatMap((s) => s.ids),
    publish: (events: readonly Event[]) =>
      new Promise<void>((resolve, reject) => {
        sends.push({ ids: events.map((e) => e.id), ack: resolve, fail: () => reject(new Error('no ack')) });
      }),
  };
}

/** Lets the store's writes (group commits on the next turns) and settled promises run. */
const settle = () =>
  new Promise((resolve) => setImmediate(resolve)).then(() => new Promise((r) => setImmediate(r)));

describe('outbox claims: a flusher never publishes what a writer is still publishing', () => {
  let dir: string;
  let store: DocumentStore;
  let things: Collection<Thing>;
  let clock: ManualClock;
  let log: ReturnType<typeof gatedLog>;
  let deps: OutboxDeps<Event>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdx-outbox-'));
    store = openEmbeddedStore({ dir, database: 'outbox' });
    things = await store.collection<Thing>({ name: 'things', indexes: [{ fields: ['pending'] }] });
    clock = new ManualClock('2026-06-01T00:00:00Z');
    log = gatedLog();
    deps = { bus: log, logger: { info: () => {} }, clock, outboxLeaseMs: 60_000 };
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const commit = (id: string, d: OutboxDeps<Event> = deps) =>
    commitChange(d, things, undefined, { id, name: id }, [{ id: `e-${id}` }]);
  const until = async (fn: () => boolean) => {
    for (let i = 0; i < 200 && !fn(); i++) await settle();
    expect(fn()).toBe(true);
  };

  it('leaves an outbox its writer is publishing alone, then finds nothing to do', async () => {
    const committing = commit('a');
    await until(() => log.sends.length === 1);
    expect(await things.get('a')).toMatchObject({ pending: true, claimedUntilMs: clock.now() + 60_000 });
    expect(await flushOutboxes(deps, things)).toBe(0);
    log.sends[0]!.ack();
    expect(await committing).toBe('committed');
    expect(await flushOutboxes(deps, things)).toBe(0);
    expect(log.published()).toEqual(['e-a']);
    const cleared = await things.get('a');
    expect(cleared).toMatchObject({ pending: false, outbox: [] });
    expect(cleared).not.toHaveProperty('claimedUntilMs');
  });

  it('takes over the outbox of a writer that died, once its claim has expired', async () => {
    void commit('b');
    await until(() => log.sends.length === 1);
    // The writer's process is gone: its publication never ends.
    clock.advance(59_999);
    expect(await flushOutboxes(deps, things)).toBe(0);
    clock.advance(1);
    const flushing = flushOutboxes(deps, things);
    await until(() => log.sends.length === 2);
    expect(await things.get('b')).toMatchObject({ claimedUntilMs: clock.now() + 60_000 });
    log.sends[1]!.ack();
    expect(await flushing).toBe(1);
    expect(await things.get('b')).toMatchObject({ pending: false });
  });

  it('lets one of two flushers take an expired outbox', async () => {
    await things.insert({ id: 'c', name: 'c', version: 1, outbox: [{ id: 'e-c' }], pending: true });
    const both = [flushOutboxes(deps, things), flushOutboxes(deps, things)];
    await until(() => log.sends.length >= 1);
    for (const s of log.sends) s.ack();
    expect((await Promise.all(both)).sort()).toEqual([0, 1]);
    expect(log.published()).toEqual(['e-c']);
  });

  it('releases the claim when the log refuses, so the next flush publishes at once', async () => {
    const committing = commit('d');
    await until(() => log.sends.length === 1);
    log.sends[0]!.fail();
    await expect(committing).rejects.toMatchObject({ code: 'PDX_EVENT_LOG_UNAVAILABLE', retriable: true });
    const kept = await things.get('d');
    expect(kept).toMatchObject({ pending: true, outbox: [{ id: 'e-d' }] });
    expect(kept).not.toHaveProperty('claimedUntilMs');
    const flushing = flushOutboxes(deps, things);
    await until(() => log.sends.length === 2);
    log.sends[1]!.ack();
    expect(await flushing).toBe(1);
  });

  it('answers within publishTimeoutMs; the publication still in flight keeps its claim and settles the outbox', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const bounded = { ...deps, publishTimeoutMs: 5_000 };
    const landed = commit('e', bounded);
    const lost = commit('f', bounded);
    const outcomes = Promise.allSettled([landed, lost]);
    await until(() => log.sends.length === 2);
    vi.advanceTimersByTime(4_999);
    await settle();
    expect(log.sends).toHaveLength(2);
    vi.advanceTimersByTime(1);
    for (const outcome of await outcomes) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as Error & { code: string };
      expect(error.code).toBe('PDX_EVENT_LOG_UNAVAILABLE');
      expect(error.message).toContain('within 5000 ms');
      expect(error.message).toContain('the change is recorded');
    }
    // Both still in flight: the flusher leaves them to their writers.
    expect(await flushOutboxes(bounded, things)).toBe(0);
    // One lands after all: its outbox is cleared, and nothing is published twice.
    log.sends[0]!.ack();
    await until(() => log.sends.length === 2);
    await settle();
    expect(await flushOutboxes(bounded, things)).toBe(0);
    // The other fails: the flusher may take it now.
    log.sends[1]!.fail();
    await settle();
    await settle();
    const flushing = flushOutboxes(bounded, things);
    await until(() => log.sends.length === 3);
    log.sends[2]!.ack();
    expect(await flushing).toBe(1);
    expect(log.published().sort()).toEqual(['e-e', 'e-f', 'e-f']);
    expect(await things.count({ pending: true })).toBe(0);
  });

  it('keeps the old behaviour without a clock: no claims', async () => {
    const noClock = { bus: log, logger: { info: () => {} } };
    void commit('g', noClock);
    await until(() => log.sends.length === 1);
    expect(await things.get('g')).not.toHaveProperty('claimedUntilMs');
    const flushing = flushOutboxes(noClock, things);
    await until(() => log.sends.length === 2);
    for (const s of log.sends) s.ack();
    expect(await flushing).toBe(1);
  });
});
