import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { describe, expect, inject, it } from 'vitest';
import { StoreError } from './errors.js';
import { openMongoStore, type StoreLogger } from './mongo-store.js';
import { documentStoreContract } from './testing.js';

// test/infra/global-setup.ts provides this key and declares it too, but that file is outside this
// package's TypeScript project; the identical declaration merges with it.
declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

const uri = inject('mongodbUri');

interface Line {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: object;
}

function capturingLogger(): { logger: StoreLogger; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (fields: object, message: string) => {
    lines.push({ level, message, fields });
  };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

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

  it('logs that it connected, and that it closed, naming the database and the servers', async () => {
    const database = `pdx_store_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const { logger, lines } = capturingLogger();
    const store = await openMongoStore({ uri, database, logger });
    await store.close();
    const hosts = new URL(uri).host;
    expect(lines.filter((l) => l.level !== 'warn')).toEqual([
      {
        level: 'info',
        message: 'MongoDB connected',
        fields: { database, hosts, server: expect.any(String) },
      },
      { level: 'info', message: 'MongoDB store closed', fields: { database, hosts } },
    ]);
  });

  it('logs what the driver warns about (a deprecated option of the URI) while it is open', async () => {
    const database = `pdx_store_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const { logger, lines } = capturingLogger();
    const store = await openMongoStore({ uri: `${uri}?useUnifiedTopology=true`, database, logger });
    await store.close();
    expect(lines.filter((l) => l.message === 'MongoDB driver warning')).toEqual([
      {
        level: 'warn',
        message: 'MongoDB driver warning',
        fields: { database, hosts: new URL(uri).host, driver: expect.stringContaining('useUnifiedTopology') },
      },
    ]);
  });

  it('logs a failed connection as an error, without the credentials of the URI', async () => {
    const { logger, lines } = capturingLogger();
    const secretUri =
      'mongodb://pdx-operator:s3cr%40t-Passw0rd@127.0.0.1:1/?authSource=admin&serverSelectionTimeoutMS=300';
    await expect(openMongoStore({ uri: secretUri, database: 'nowhere', logger })).rejects.toMatchObject({
      code: 'PDX_STORE_UNAVAILABLE',
    });
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'MongoDB connection failed',
        fields: {
          database: 'nowhere',
          hosts: '127.0.0.1:1',
          err: { type: 'MongooseServerSelectionError', message: expect.stringContaining('127.0.0.1:1') },
        },
      },
    ]);
    const logged = JSON.stringify(lines);
    for (const secret of ['pdx-operator', 's3cr', 'Passw0rd', 'authSource'])
      expect(logged).not.toContain(secret);
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
      error: (fields: object, message: string) => logged.push({ message, fields }),
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
