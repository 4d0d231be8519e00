import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Doc, DocumentStore } from './document-store.js';
import { openEmbeddedStore } from './embedded-store.js';
import { documentStoreContract } from './testing.js';

const databaseName = () => `store_${randomUUID().slice(0, 8)}`;

documentStoreContract('embedded (SQLite)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pdx-store-'));
  const options = { dir, database: databaseName() };
  return {
    store: openEmbeddedStore(options),
    reopen: async () => openEmbeddedStore(options),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('embedded store durability', () => {
  const stores: DocumentStore[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'pdx-store-'));
    dirs.push(dir);
    return dir;
  }

  it('creates <dir>/<database>.sqlite in WAL mode, creating the directory', async () => {
    const dir = join(await tempDir(), 'nested', 'data');
    const database = databaseName();
    stores.push(openEmbeddedStore({ dir, database }));
    const raw = new Database(join(dir, `${database}.sqlite`), { fileMustExist: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('has an acknowledged write in the files on disk before the store is closed (as after a crash)', async () => {
    const dir = await tempDir();
    const database = databaseName();
    const writer = openEmbeddedStore({ dir, database });
    stores.push(writer);
    const written = await writer.collection<Doc & { n: number }>({
      name: 'events',
      indexes: [{ fields: ['n'] }],
    });
    for (let n = 0; n < 20; n++) await written.insert({ id: `e${n}`, n });

    // What a crash leaves behind is the database file and its write-ahead log; the shared-memory
    // index is rebuilt on open. Copy exactly those two while the writer still holds them open.
    const crashed = await tempDir();
    await mkdir(crashed, { recursive: true });
    for (const file of await readdir(dir)) {
      if (!file.endsWith('-shm')) await copyFile(join(dir, file), join(crashed, file));
    }
    const recovered = openEmbeddedStore({ dir: crashed, database });
    stores.push(recovered);
    const read = await recovered.collection<Doc & { n: number }>({
      name: 'events',
      indexes: [{ fields: ['n'] }],
    });
    expect(await read.count({})).toBe(20);
    expect(await read.get('e19')).toEqual({ id: 'e19', n: 19 });
  });

  it('is readable from a second instance on the same file while the first stays open', async () => {
    const dir = await tempDir();
    const database = databaseName();
    const first = openEmbeddedStore({ dir, database });
    const second = openEmbeddedStore({ dir, database });
    stores.push(first, second);
    const one = await first.collection<Doc & { v: number }>({ name: 'things' });
    await one.put({ id: 'a', v: 1 });
    const two = await second.collection<Doc & { v: number }>({ name: 'things' });
    expect(await two.get('a')).toEqual({ id: 'a', v: 1 });
    expect(await two.replaceIf({ id: 'a', v: 2 }, { v: 1 })).toBe(true);
    expect(await one.get('a')).toEqual({ id: 'a', v: 2 });
  });

  it('rejects a database name that could escape the directory with TypeError', () => {
    for (const database of ['../x', 'a/b', '', '.hidden', 'a.b']) {
      expect(() => openEmbeddedStore({ dir: tmpdir(), database }), database).toThrow(TypeError);
    }
  });
});
