import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { describe, expect, inject, it } from 'vitest';
import { StoreError } from './errors.js';
import { openMongoStore } from './mongo-store.js';
import { documentStoreContract } from './testing.js';

// test/infra/global-setup.ts provides this key and declares it too, but that file is outside this
// package's TypeScript project; the identical declaration merges with it.
declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

const uri = inject('mongodbUri');

async function dropDatabase(database: string): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName: database }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

documentStoreContract('MongoDB (mongoose)', async () => {
  const database = `pdx_store_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  return {
    store: await openMongoStore({ uri, database }),
    reopen: () => openMongoStore({ uri, database }),
    cleanup: () => dropDatabase(database),
  };
});

describe('MongoDB store', () => {
  it('rejects with PDX_STORE_UNAVAILABLE when no server answers', async () => {
    const error = await openMongoStore({ uri: 'mongodb://127.0.0.1:1/', database: 'nowhere' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'PDX_STORE_UNAVAILABLE', retriable: true });
  });

  it('stores id as _id and nothing else of its own', async () => {
    const database = `pdx_store_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const store = await openMongoStore({ uri, database });
    try {
      const parties = await store.collection<{ id: string; kind: string }>({ name: 'parties' });
      await parties.put({ id: 'a', kind: 'carrier' });
      const connection = await mongoose.createConnection(uri, { dbName: database }).asPromise();
      try {
        const raw = await connection.db?.collection('parties').find({}).toArray();
        expect(raw).toEqual([{ _id: 'a', kind: 'carrier' }]);
      } finally {
        await connection.close();
      }
    } finally {
      await store.close();
      await dropDatabase(database);
    }
  });

  it('drops nothing when a collection is declared again with the same indexes, and drops what is no longer declared', async () => {
    const database = `pdx_store_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const logged: { message: string; fields: object }[] = [];
    const logger = {
      info: (fields: object, message: string) => logged.push({ message, fields }),
      warn: (fields: object, message: string) => logged.push({ message, fields }),
    };
    const spec = { name: 'parties', indexes: [{ fields: ['lei'], unique: true }, { fields: ['kind'] }] };
    try {
      const first = await openMongoStore({ uri, database, logger });
      await first.collection(spec);
      await first.close();
      const second = await openMongoStore({ uri, database, logger });
      try {
        await second.collection(spec);
        expect(logged.filter(({ message }) => message.includes('dropped'))).toEqual([]);
        await second.collection({ name: 'parties', indexes: [{ fields: ['lei'], unique: true }] });
        expect(logged.filter(({ message }) => message.includes('dropped'))).toEqual([
          {
            message: 'dropped indexes no longer declared',
            fields: { collection: 'parties', dropped: ['kind_1'] },
          },
        ]);
      } finally {
        await second.close();
      }
    } finally {
      await dropDatabase(database);
    }
  });
});
