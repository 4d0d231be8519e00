import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Collection, CollectionSpec, Doc, DocumentStore } from './document-store.js';
import { StoreError } from './errors.js';

/**
 * What an adapter's test file hands the contract suite, once per test.
 *
 * - `store`: a store on a fresh, empty database private to this test.
 * - `reopen()`: a new store on the same database, as after a restart. The suite closes every store
 *   it is given (`store` and each reopened one) before calling `cleanup`.
 * - `cleanup()`: removes the database (drop it, delete the files). Called once after each test,
 *   also when the test failed.
 */
export interface StoreUnderTest {
  store: DocumentStore;
  reopen(): Promise<DocumentStore>;
  cleanup(): Promise<void>;
}

interface Party extends Doc {
  kind: string;
  lei: string;
  rank?: number;
  flag?: boolean | number;
  note?: string | null;
  address?: { country: string; city?: string };
  tags?: string[];
}

interface Versioned extends Doc {
  version: number;
  writer?: number;
}

const parties: CollectionSpec = {
  name: 'parties',
  indexes: [{ fields: ['kind'] }, { fields: ['address.country', 'kind'] }, { fields: ['lei'], unique: true }],
};

const seed: Party[] = [
  {
    id: 'a',
    kind: 'carrier',
    lei: 'L1',
    rank: 3,
    flag: true,
    note: null,
    address: { country: 'NL', city: 'Rotterdam' },
  },
  { id: 'b', kind: 'warehouse', lei: 'L2', rank: 1, flag: false, address: { country: 'DE' } },
  { id: 'c', kind: 'carrier', lei: 'L3', rank: 2, note: 'x', address: { country: 'DE', city: 'Hamburg' } },
  { id: 'd', kind: 'broker', lei: 'L4', rank: 10, flag: 1, tags: ['customs'] },
];

const ids = (docs: readonly Doc[]) => docs.map((doc) => doc.id);

/**
 * The contract of {@link DocumentStore}, run unchanged against every adapter: a vitest `describe`
 * named `name`; `open` is called before each test and must give a store on a new database.
 */
export function documentStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let opened: DocumentStore[];
    let store: DocumentStore;

    async function reopen(): Promise<DocumentStore> {
      const next = await subject.reopen();
      opened.push(next);
      return next;
    }

    async function seeded(): Promise<Collection<Party>> {
      const collection = await store.collection<Party>(parties);
      for (const doc of seed) await collection.put(doc);
      return collection;
    }

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      opened = [store];
    });

    afterEach(async () => {
      try {
        for (const each of opened) await each.close();
      } finally {
        await subject.cleanup();
      }
    });

    describe('collection', () => {
      it('is idempotent: a second call with the same spec sees the same data and indexes', async () => {
        const first = await store.collection<Party>(parties);
        await first.put({ id: 'a', kind: 'carrier', lei: 'L1' });
        const second = await store.collection<Party>(parties);
        expect(await second.get('a')).toEqual({ id: 'a', kind: 'carrier', lei: 'L1' });
        await expect(second.insert({ id: 'b', kind: 'carrier', lei: 'L1' })).rejects.toMatchObject({
          code: 'PDX_STORE_DUPLICATE',
        });
        const again = await (await reopen()).collection<Party>(parties);
        expect(await again.count({})).toBe(1);
      });

      it('keeps collections apart', async () => {
        const one = await store.collection<Party>({ name: 'one' });
        const two = await store.collection<Party>({ name: 'two' });
        await one.put({ id: 'a', kind: 'carrier', lei: 'L1' });
        expect(await two.get('a')).toBeUndefined();
        expect(await two.count({})).toBe(0);
      });

      it('makes the indexes exactly the declared ones (sync)', async () => {
        const unique = await store.collection<Party>({
          name: 'synced',
          indexes: [{ fields: ['lei'], unique: true }],
        });
        await unique.put({ id: 'a', kind: 'carrier', lei: 'L1' });
        await expect(unique.put({ id: 'b', kind: 'carrier', lei: 'L1' })).rejects.toMatchObject({
          code: 'PDX_STORE_DUPLICATE',
        });

        const relaxed = await store.collection<Party>({ name: 'synced', indexes: [{ fields: ['lei'] }] });
        await relaxed.put({ id: 'b', kind: 'carrier', lei: 'L1' });
        expect(await relaxed.count({ lei: 'L1' })).toBe(2);

        // Declaring a unique index over documents that already break it fails and says so.
        await expect(
          store.collection<Party>({ name: 'synced', indexes: [{ fields: ['lei'], unique: true }] }),
        ).rejects.toMatchObject({ code: 'PDX_STORE_DUPLICATE' });
      });

      it('rejects invalid names and index fields with TypeError', async () => {
        for (const bad of [
          '',
          'Parties',
          '1st',
          'a-b',
          'a.b',
          'sqlite_master',
          `x${'y'.repeat(63)}`,
          'a"b',
        ]) {
          await expect(store.collection({ name: bad }), bad).rejects.toThrow(TypeError);
        }
        for (const field of ['', 'a..b', '$where', "a'b", 'a b', '_id', 'id', 'id.x', 'a.$']) {
          await expect(
            store.collection({ name: 'ok', indexes: [{ fields: [field] }] }),
            field,
          ).rejects.toThrow(TypeError);
        }
        await expect(store.collection({ name: 'ok', indexes: [{ fields: [] }] })).rejects.toThrow(TypeError);
      });
    });

    describe('get, insert, put, delete', () => {
      it('round-trips a document exactly, without _id or __v', async () => {
        const collection = await store.collection<Doc & Record<string, unknown>>({ name: 'things' });
        const doc = {
          id: 'déclaration/42 ✓',
          text: 'Zoë "quoted" \\ \n',
          integer: 2 ** 53 - 1,
          negative: -7,
          float: 0.1,
          yes: true,
          no: false,
          nothing: null,
          empty: {},
          list: [1, 'two', { three: [3] }, null],
          nested: { deeper: { deepest: 'x' } },
        };
        await collection.put(doc);
        const got = await collection.get(doc.id);
        expect(got).toStrictEqual(doc);
        expect(Object.keys(got ?? {})).not.toContain('_id');
        expect(Object.keys(got ?? {})).not.toContain('__v');
        const [found] = await collection.find({ id: doc.id });
        expect(found).toStrictEqual(doc);
      });

      it('stores documents the way JSON does (undefined fields are dropped)', async () => {
        const collection = await store.collection<Doc & Record<string, unknown>>({ name: 'things' });
        await collection.put({ id: 'a', gone: undefined, kept: 1 });
        expect(await collection.get('a')).toStrictEqual({ id: 'a', kept: 1 });
      });

      it('gives undefined for a missing id', async () => {
        const collection = await store.collection<Party>(parties);
        expect(await collection.get('nobody')).toBeUndefined();
      });

      it('inserts if absent and leaves an existing document untouched', async () => {
        const collection = await store.collection<Party>(parties);
        expect(await collection.insert({ id: 'a', kind: 'carrier', lei: 'L1' })).toBe('inserted');
        expect(await collection.insert({ id: 'a', kind: 'broker', lei: 'L9' })).toBe('exists');
        expect(await collection.get('a')).toEqual({ id: 'a', kind: 'carrier', lei: 'L1' });
      });

      it("answers 'exists' for the same id even when another unique value collides too", async () => {
        const collection = await seeded();
        expect(await collection.insert({ id: 'a', kind: 'carrier', lei: 'L3' })).toBe('exists');
        expect(await collection.get('a')).toEqual(seed[0]);
      });

      it('replaces the whole document on put', async () => {
        const collection = await store.collection<Party>(parties);
        await collection.put({ id: 'a', kind: 'carrier', lei: 'L1', note: 'first' });
        await collection.put({ id: 'a', kind: 'broker', lei: 'L1' });
        expect(await collection.get('a')).toStrictEqual({ id: 'a', kind: 'broker', lei: 'L1' });
        expect(await collection.count({})).toBe(1);
      });

      it('deletes by id and says whether there was a document', async () => {
        const collection = await seeded();
        expect(await collection.delete('a')).toBe(true);
        expect(await collection.delete('a')).toBe(false);
        expect(await collection.get('a')).toBeUndefined();
        expect(await collection.count({})).toBe(3);
        // The unique value is free again.
        expect(await collection.insert({ id: 'e', kind: 'carrier', lei: 'L1' })).toBe('inserted');
      });

      it('rejects a document without a string id, or with _id, with TypeError', async () => {
        const collection = await store.collection<Party>(parties);
        const bad = [
          { kind: 'carrier', lei: 'L1' },
          { id: 42, kind: 'carrier', lei: 'L1' },
          { id: '', kind: 'carrier', lei: 'L1' },
          { id: 'a', _id: 'a', kind: 'carrier', lei: 'L1' },
          null,
          ['a'],
        ] as unknown as Party[];
        for (const doc of bad) {
          await expect(collection.insert(doc), JSON.stringify(doc)).rejects.toThrow(TypeError);
          await expect(collection.put(doc), JSON.stringify(doc)).rejects.toThrow(TypeError);
          await expect(collection.replaceIf(doc, {}), JSON.stringify(doc)).rejects.toThrow(TypeError);
        }
        await expect(collection.get(42 as unknown as string)).rejects.toThrow(TypeError);
        await expect(collection.delete(undefined as unknown as string)).rejects.toThrow(TypeError);
        expect(await collection.count({})).toBe(0);
      });
    });

    describe('unique indexes', () => {
      it('rejects a second document with the same unique value: PDX_STORE_DUPLICATE', async () => {
        const collection = await seeded();
        const attempts = [
          () => collection.insert({ id: 'e', kind: 'carrier', lei: 'L1' }),
          () => collection.put({ id: 'e', kind: 'carrier', lei: 'L1' }),
          () => collection.put({ id: 'b', kind: 'carrier', lei: 'L1' }),
          () => collection.replaceIf({ id: 'b', kind: 'carrier', lei: 'L1' }, { kind: 'warehouse' }),
        ];
        for (const attempt of attempts) {
          const error = await attempt().then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(StoreError);
          expect(error).toMatchObject({ code: 'PDX_STORE_DUPLICATE', retriable: false, name: 'StoreError' });
          expect((error as Error).message).toContain('lei');
        }
        expect(await collection.get('b')).toEqual(seed[1]);
        expect(await collection.get('e')).toBeUndefined();
      });

      it('checks compound unique indexes on the combination', async () => {
        const collection = await store.collection<Party>({
          name: 'sites',
          indexes: [{ fields: ['address.country', 'kind'], unique: true }],
        });
        await collection.put({ id: 'a', kind: 'carrier', lei: 'L1', address: { country: 'NL' } });
        await collection.put({ id: 'b', kind: 'carrier', lei: 'L2', address: { country: 'DE' } });
        await collection.put({ id: 'c', kind: 'broker', lei: 'L3', address: { country: 'NL' } });
        await expect(
          collection.insert({ id: 'd', kind: 'carrier', lei: 'L4', address: { country: 'NL' } }),
        ).rejects.toMatchObject({
          code: 'PDX_STORE_DUPLICATE',
          message: expect.stringContaining('address.country'),
        });
        // Replacing a document with its own values is no conflict.
        await collection.put({ id: 'a', kind: 'carrier', lei: 'L9', address: { country: 'NL' } });
        expect(await collection.count({})).toBe(3);
      });
    });

    describe('replaceIf', () => {
      it('replaces when the stored document matches', async () => {
        const collection = await store.collection<Versioned>({ name: 'versions' });
        await collection.put({ id: 'v', version: 1 });
        expect(await collection.replaceIf({ id: 'v', version: 2 }, { version: 1 })).toBe(true);
        expect(await collection.get('v')).toStrictEqual({ id: 'v', version: 2 });
      });

      it('does nothing when the stored document does not match', async () => {
        const collection = await store.collection<Versioned>({ name: 'versions' });
        await collection.put({ id: 'v', version: 2 });
        expect(await collection.replaceIf({ id: 'v', version: 3 }, { version: 1 })).toBe(false);
        expect(await collection.get('v')).toStrictEqual({ id: 'v', version: 2 });
      });

      it('answers false for a missing document and does not create it', async () => {
        const collection = await store.collection<Versioned>({ name: 'versions' });
        expect(await collection.replaceIf({ id: 'v', version: 1 }, {})).toBe(false);
        expect(await collection.replaceIf({ id: 'v', version: 1 }, { version: null })).toBe(false);
        expect(await collection.get('v')).toBeUndefined();
      });

      it('compares on nested fields, booleans and null, all of them', async () => {
        const collection = await seeded();
        const next: Party = { id: 'a', kind: 'carrier', lei: 'L1', rank: 4 };
        expect(await collection.replaceIf(next, { 'address.country': 'NL', flag: 1 })).toBe(false);
        expect(await collection.replaceIf(next, { 'address.country': 'DE', flag: true })).toBe(false);
        expect(await collection.replaceIf(next, { 'address.country': 'NL', flag: true, note: null })).toBe(
          true,
        );
        expect(await collection.get('a')).toStrictEqual(next);
      });

      it('lets exactly one of concurrent writers with the same expected version win', async () => {
        const collection = await store.collection<Versioned>({ name: 'versions' });
        await collection.put({ id: 'v', version: 1 });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, writer) =>
            collection.replaceIf({ id: 'v', version: 2, writer }, { version: 1 }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await collection.get('v')).toStrictEqual({
          id: 'v',
          version: 2,
          writer: results.indexOf(true),
        });
      });
    });

    describe('concurrent insert', () => {
      it('answers inserted to exactly one of 10 parallel inserts of one id', async () => {
        const collection = await store.collection<Versioned>({ name: 'versions' });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, writer) => collection.insert({ id: 'v', version: 1, writer })),
        );
        expect(results.filter((result) => result === 'inserted')).toHaveLength(1);
        expect(results.filter((result) => result === 'exists')).toHaveLength(9);
        expect(await collection.get('v')).toStrictEqual({
          id: 'v',
          version: 1,
          writer: results.indexOf('inserted'),
        });
      });

      it('keeps the last of parallel puts of one new id', async () => {
        const collection = await store.collection<Versioned>({ name: 'versions' });
        await Promise.all(
          Array.from({ length: 10 }, (_, writer) => collection.put({ id: 'v', version: 1, writer })),
        );
        expect(await collection.count({})).toBe(1);
        expect(await collection.get('v')).toMatchObject({ id: 'v', version: 1 });
      });
    });

    describe('find and count', () => {
      it('filters on strings, numbers, booleans, null and nested paths', async () => {
        const collection = await seeded();
        const sorted = async (filter: Parameters<Collection<Party>['find']>[0]) =>
          ids(await collection.find(filter)).sort();
        expect(await sorted({})).toEqual(['a', 'b', 'c', 'd']);
        expect(await sorted({ kind: 'carrier' })).toEqual(['a', 'c']);
        expect(await sorted({ rank: 10 })).toEqual(['d']);
        expect(await sorted({ rank: '10' })).toEqual([]);
        expect(await sorted({ flag: true })).toEqual(['a']);
        expect(await sorted({ flag: false })).toEqual(['b']);
        expect(await sorted({ flag: 1 })).toEqual(['d']);
        expect(await sorted({ note: null })).toEqual(['a', 'b', 'd']);
        expect(await sorted({ note: 'x' })).toEqual(['c']);
        expect(await sorted({ 'address.country': 'DE' })).toEqual(['b', 'c']);
        expect(await sorted({ 'address.country': 'DE', kind: 'carrier' })).toEqual(['c']);
        expect(await sorted({ 'address.city': null })).toEqual(['b', 'd']);
        expect(await sorted({ id: 'b' })).toEqual(['b']);
        expect(await sorted({ id: 'b', kind: 'carrier' })).toEqual([]);
        expect(await sorted({ nowhere: 'x' })).toEqual([]);
      });

      it('counts what find finds', async () => {
        const collection = await seeded();
        expect(await collection.count({})).toBe(4);
        expect(await collection.count({ kind: 'carrier' })).toBe(2);
        expect(await collection.count({ 'address.country': 'DE', flag: false })).toBe(1);
        expect(await collection.count({ note: null })).toBe(3);
        expect(await collection.count({ kind: 'nobody' })).toBe(0);
      });

      it('sorts ascending and descending, ties by id, and limits', async () => {
        const collection = await seeded();
        expect(ids(await collection.find({}, { sort: { field: 'rank', order: 1 } }))).toEqual([
          'b',
          'c',
          'a',
          'd',
        ]);
        expect(ids(await collection.find({}, { sort: { field: 'rank', order: -1 } }))).toEqual([
          'd',
          'a',
          'c',
          'b',
        ]);
        expect(ids(await collection.find({}, { sort: { field: 'kind', order: 1 } }))).toEqual([
          'd',
          'a',
          'c',
          'b',
        ]);
        expect(ids(await collection.find({}, { sort: { field: 'kind', order: -1 } }))).toEqual([
          'b',
          'a',
          'c',
          'd',
        ]);
        expect(ids(await collection.find({}, { sort: { field: 'id', order: -1 } }))).toEqual([
          'd',
          'c',
          'b',
          'a',
        ]);
        expect(
          ids(await collection.find({}, { sort: { field: 'address.country', order: 1 }, limit: 3 })),
        ).toEqual(['d', 'b', 'c']);
        expect(
          ids(await collection.find({ kind: 'carrier' }, { sort: { field: 'rank', order: -1 }, limit: 1 })),
        ).toEqual(['a']);
        expect(await collection.find({}, { limit: 2 })).toHaveLength(2);
        expect(await collection.find({}, { limit: 0 })).toEqual([]);
      });

      it('pages after a position in the sort order (keyset), ties by id, in both directions', async () => {
        const collection = await store.collection<Party>(parties);
        // Ranks with ties, inserted out of order: pages must follow (rank, id), none twice.
        const docs = ['k', 'c', 'x', 'a', 'm', 'b', 'z', 'e'].map((id, i) => ({
          id,
          kind: i % 2 === 0 ? 'carrier' : 'broker',
          lei: `K${i}`,
          rank: [2, 1, 2, 3, 1, 2, 3, 1][i]!,
        }));
        for (const doc of docs) await collection.insert(doc);
        const pages = async (order: 1 | -1, field: 'rank' | 'id', filter = {}) => {
          const seen: string[] = [];
          let after: { value: string | number; id: string } | undefined;
          for (;;) {
            const page = await collection.find(filter, {
              sort: { field, order },
              limit: 3,
              ...(after ? { after } : {}),
            });
            seen.push(...ids(page));
            if (page.length < 3) return seen;
            const last = page.at(-1)!;
            after = { value: field === 'id' ? last.id : last.rank!, id: last.id };
          }
        };
        expect(await pages(1, 'rank')).toEqual(['c', 'e', 'm', 'b', 'k', 'x', 'a', 'z']);
        expect(await pages(-1, 'rank')).toEqual(['a', 'z', 'b', 'k', 'x', 'c', 'e', 'm']);
        expect(await pages(1, 'id')).toEqual(['a', 'b', 'c', 'e', 'k', 'm', 'x', 'z']);
        expect(await pages(-1, 'id')).toEqual(['z', 'x', 'm', 'k', 'e', 'c', 'b', 'a']);
        expect(await pages(1, 'rank', { kind: 'carrier' })).toEqual(['m', 'k', 'x', 'z']);
        // A position between documents: whatever comes after it, also when nothing sits there.
        const after = (value: number, id: string) =>
          collection.find({}, { sort: { field: 'rank', order: 1 }, after: { value, id } });
        expect(ids(await after(2, 'l'))).toEqual(['x', 'a', 'z']);
        expect(ids(await after(1, ''))).toEqual(['c', 'e', 'm', 'b', 'k', 'x', 'a', 'z']);
        expect(await after(3, 'z')).toEqual([]);
        await expect(collection.find({}, { after: { value: 1, id: 'a' } })).rejects.toThrow(TypeError);
        await expect(
          collection.find({}, { sort: { field: 'rank', order: 1 }, after: { value: Number.NaN, id: 'a' } }),
        ).rejects.toThrow(TypeError);
        await expect(
          collection.find({}, { sort: { field: 'id', order: 1 }, after: { value: 'b', id: 'a' } }),
        ).rejects.toThrow(TypeError);
      });

      it('rejects filters and options it cannot honour with TypeError', async () => {
        const collection = await seeded();
        const badFilters = [
          { address: { country: 'NL' } },
          { tags: ['customs'] },
          { kind: undefined },
          { rank: Number.NaN },
          { rank: { $gt: 1 } },
          { $where: 'true' },
          { "kind'": 'x' },
          { 'a..b': 1 },
          { _id: 'a' },
          null,
        ] as unknown as Parameters<Collection<Party>['find']>[0][];
        for (const filter of badFilters) {
          await expect(collection.find(filter), JSON.stringify(filter)).rejects.toThrow(TypeError);
          await expect(collection.count(filter), JSON.stringify(filter)).rejects.toThrow(TypeError);
          await expect(collection.replaceIf(seed[0]!, filter), JSON.stringify(filter)).rejects.toThrow(
            TypeError,
          );
        }
        await expect(collection.find({}, { limit: -1 })).rejects.toThrow(TypeError);
        await expect(collection.find({}, { limit: 1.5 })).rejects.toThrow(TypeError);
        await expect(
          collection.find({}, { sort: { field: 'rank; DROP TABLE parties', order: 1 } }),
        ).rejects.toThrow(TypeError);
        await expect(collection.find({}, { sort: { field: 'rank', order: 0 as 1 } })).rejects.toThrow(
          TypeError,
        );
        expect(await collection.count({})).toBe(4);
      });
    });

    describe('lifecycle', () => {
      it('keeps the data when the store is closed and opened again', async () => {
        const collection = await seeded();
        await store.close();
        const again = await (await reopen()).collection<Party>(parties);
        expect(ids(await again.find({}, { sort: { field: 'id', order: 1 } }))).toEqual(['a', 'b', 'c', 'd']);
        expect(await again.get('c')).toStrictEqual(seed[2]);
        await expect(collection.get('a')).rejects.toMatchObject({ code: 'PDX_STORE_UNAVAILABLE' });
      });

      it('answers ping while open and PDX_STORE_UNAVAILABLE (retriable) once closed', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await store.close();
        const error = await store.ping().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(StoreError);
        expect(error).toMatchObject({ code: 'PDX_STORE_UNAVAILABLE', retriable: true });
        await expect(store.collection(parties)).rejects.toMatchObject({ code: 'PDX_STORE_UNAVAILABLE' });
      });
    });
  });
}
