import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { change, type Decision, handleChange, refused, unchanged } from './change.js';
import type { Collection, DocumentStore } from './document-store.js';
import { openEmbeddedStore } from './embedded-store.js';
import { commitChange, type OutboxDeps, type OutboxRecord } from './outbox.js';

interface Event {
  id: string;
}
interface Counter extends OutboxRecord<Event> {
  count: number;
}

/** A pure decider: add `by` to the counter; 0 changes nothing; a negative step is refused. */
const add = (current: Counter | undefined, by: number): Decision<Counter, Event, number> => {
  if (by < 0) return refused(new RangeError('a counter only grows'));
  if (by === 0) return unchanged(current?.count ?? 0);
  const count = (current?.count ?? 0) + by;
  return change({ id: 'c', count }, [{ id: `c-${(current?.version ?? 0) + 1}` }], count);
};

describe('handleChange: read, decide, commit through the outbox, retry when stale', () => {
  let dir: string;
  let store: DocumentStore;
  let counters: Collection<Counter>;
  let published: string[];
  let deps: OutboxDeps<Event>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdx-change-'));
    store = openEmbeddedStore({ dir, database: 'change' });
    counters = await store.collection<Counter>({ name: 'counters', indexes: [{ fields: ['pending'] }] });
    published = [];
    deps = {
      bus: { publish: async (events) => void published.push(...events.map((e) => e.id)) },
      logger: { info: () => {} },
    };
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the record with its events, then changes it, each time publishing what the decider said', async () => {
    const first = await handleChange(deps, counters, 'c', (current) => add(current, 2));
    expect(first).toMatchObject({
      kind: 'changed',
      created: true,
      value: 2,
      record: { count: 2, version: 1 },
    });
    const second = await handleChange(deps, counters, 'c', (current) => add(current, 3));
    expect(second).toMatchObject({
      kind: 'changed',
      created: false,
      value: 5,
      record: { count: 5, version: 2 },
    });
    expect(published).toEqual(['c-1', 'c-2']);
    expect(await counters.get('c')).toMatchObject({ count: 5, version: 2, outbox: [], pending: false });
  });

  it('answers a repeat with the record as it stands, after publishing what an earlier attempt left pending', async () => {
    const down = { ...deps, bus: { publish: () => Promise.reject(new Error('log down')) } };
    await expect(handleChange(down, counters, 'c', (current) => add(current, 1))).rejects.toMatchObject({
      code: 'PDX_EVENT_LOG_UNAVAILABLE',
    });
    expect(published).toEqual([]);
    const repeat = await handleChange(deps, counters, 'c', (current) => add(current, 0));
    expect(repeat).toMatchObject({ kind: 'unchanged', value: 1, record: { count: 1, pending: true } });
    expect(published).toEqual(['c-1']);
    expect(await counters.get('c')).toMatchObject({ pending: false, outbox: [] });
  });

  it('throws a refusal as decided and writes nothing', async () => {
    await expect(handleChange(deps, counters, 'c', (current) => add(current, -1))).rejects.toThrow(
      'a counter only grows',
    );
    expect(await counters.get('c')).toBeUndefined();
    expect(published).toEqual([]);
  });

  it('decides again on the record a concurrent change left, with its context loaded again', async () => {
    await handleChange(deps, counters, 'c', (current) => add(current, 1));
    let loads = 0;
    const outcome = await handleChange(deps, counters, 'c', (current, step: number) => add(current, step), {
      load: async (current) => {
        loads++;
        // The first attempt is overtaken by another writer between its read and its commit.
        if (loads === 1)
          await commitChange(deps, counters, current, { id: 'c', count: 10 }, [{ id: 'other' }]);
        return 5;
      },
    });
    expect(loads).toBe(2);
    expect(outcome).toMatchObject({ kind: 'changed', value: 15, record: { count: 15, version: 3 } });
    expect(published).toEqual(['c-1', 'other', 'c-3']);
  });

  it('gives up after its attempts with a retriable PDX_CHANGE_CONTENDED, having changed nothing itself', async () => {
    await handleChange(deps, counters, 'c', (current) => add(current, 1));
    let rivals = 0;
    const contended = handleChange(deps, counters, 'c', (current) => add(current, 100), {
      attempts: 3,
      load: async (current) => {
        rivals++;
        await commitChange(deps, counters, current, { id: 'c', count: (current?.count ?? 0) + 1 }, []);
      },
    });
    await expect(contended).rejects.toMatchObject({ code: 'PDX_CHANGE_CONTENDED', retriable: true });
    expect(rivals).toBe(3);
    expect(await counters.get('c')).toMatchObject({ count: 4 });
  });

  it('hands the change to the committer it is given (the seam for a batch committed at once)', async () => {
    const staged: { before: Counter | undefined; after: unknown; events: unknown[] }[] = [];
    const outcome = await handleChange(deps, counters, 'c', (current) => add(current, 7), {
      commit: async (_deps, _collection, before, after, events) => {
        staged.push({ before: before as Counter | undefined, after, events });
        return 'committed';
      },
    });
    expect(outcome).toMatchObject({ kind: 'changed', value: 7 });
    expect(staged).toEqual([{ before: undefined, after: { id: 'c', count: 7 }, events: [{ id: 'c-1' }] }]);
    expect(await counters.get('c')).toBeUndefined();
  });
});
