import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeRecord, type RecordDecision } from './change.js';
import type { Collection, DocumentStore } from './document-store.js';
import { openEmbeddedStore } from './embedded-store.js';

interface Counter {
  id: string;
  count: number;
  version: number;
}

/** A pure decider: add `by`; 0 changes nothing; a negative step is refused. */
const add =
  (by: number) =>
  (current: Counter | undefined): RecordDecision<Counter> => {
    if (by < 0) return { kind: 'refused', error: new RangeError('a counter only grows') };
    if (by === 0 && current) return { kind: 'unchanged', record: current };
    return {
      kind: 'change',
      next: { id: 'c', count: (current?.count ?? 0) + by, version: (current?.version ?? 0) + 1 },
    };
  };
const byVersion = (current: Counter) => ({ version: current.version });

describe('changeRecord: read, decide, compare-and-set, again when stale', () => {
  let dir: string;
  let store: DocumentStore;
  let counters: Collection<Counter>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdx-record-change-'));
    store = openEmbeddedStore({ dir, database: 'record-change' });
    counters = await store.collection<Counter>({ name: 'counters' });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates, changes, and answers an unchanged record as it stands', async () => {
    expect(await changeRecord(counters, 'c', add(2), { expected: byVersion })).toEqual({
      id: 'c',
      count: 2,
      version: 1,
    });
    expect(await changeRecord(counters, 'c', add(3), { expected: byVersion })).toEqual({
      id: 'c',
      count: 5,
      version: 2,
    });
    expect(await changeRecord(counters, 'c', add(0), { expected: byVersion })).toEqual({
      id: 'c',
      count: 5,
      version: 2,
    });
    expect(await counters.get('c')).toEqual({ id: 'c', count: 5, version: 2 });
  });

  it('throws a refusal as decided and writes nothing', async () => {
    await expect(changeRecord(counters, 'c', add(-1), { expected: byVersion })).rejects.toThrow(
      'a counter only grows',
    );
    expect(await counters.get('c')).toBeUndefined();
  });

  it('decides again on the record a concurrent change left, so neither change is lost', async () => {
    await changeRecord(counters, 'c', add(1), { expected: byVersion });
    let raced = false;
    // Another writer gets in between the first read and its write.
    const racing = {
      get: (id: string) => counters.get(id),
      insert: (doc: Counter) => counters.insert(doc),
      replaceIf: async (doc: Counter, expected: { version: number }) => {
        if (!raced) {
          raced = true;
          const c = (await counters.get('c'))!;
          await counters.put({ ...c, count: c.count + 100, version: c.version + 1 });
        }
        return counters.replaceIf(doc, expected);
      },
    } as unknown as Collection<Counter>;
    const decided: number[] = [];
    const result = await changeRecord(
      racing,
      'c',
      (current) => {
        decided.push(current!.count);
        return add(10)(current);
      },
      { expected: byVersion },
    );
    expect(decided).toEqual([1, 101]);
    expect(result).toEqual({ id: 'c', count: 111, version: 3 });
    expect(await counters.get('c')).toEqual(result);
  });

  it('loads the context again on every attempt, and answers no record where there is none to change', async () => {
    const seen: (number | undefined)[] = [];
    const missing = await changeRecord(
      counters,
      'c',
      (current, step: number): RecordDecision<Counter, Counter | undefined> =>
        current === undefined ? { kind: 'unchanged', record: undefined } : add(step)(current),
      {
        expected: byVersion,
        load: (current) => {
          seen.push(current?.count);
          return 5;
        },
      },
    );
    expect(missing).toBeUndefined();
    expect(seen).toEqual([undefined]);
    expect(await counters.get('c')).toBeUndefined();
  });

  it('gives up after a bounded number of stale writes with PDX_CHANGE_CONTENDED', async () => {
    await changeRecord(counters, 'c', add(1), { expected: byVersion });
    await expect(
      changeRecord(counters, 'c', add(1), { expected: () => ({ version: -1 }), attempts: 3 }),
    ).rejects.toMatchObject({
      code: 'PDX_CHANGE_CONTENDED',
    });
    expect(await counters.get('c')).toMatchObject({ count: 1, version: 1 });
  });
});
