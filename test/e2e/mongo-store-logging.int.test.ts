import { randomUUID } from 'node:crypto';
import type { ServiceDefinition } from '@pdx/host';
import { createHost } from '@pdx/host';
import type { Logger } from '@pdx/runtime';
import { openMongoStore, type StoreLogger } from '@pdx/store';
import mongoose from 'mongoose';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type LocalFerretDb, startLocalFerretDb } from '../infra/index.js';

interface Line {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A pino-shaped logger that keeps every line (fastify checks the method names). */
function capturingLogger(lines: Line[], bindings: object = {}): Logger & StoreLogger {
  const at =
    (level: string) =>
    (first?: unknown, second?: unknown): void => {
      const fields = typeof first === 'object' && first !== null ? first : {};
      const msg = typeof first === 'string' ? first : String(second ?? '');
      lines.push({ ...bindings, ...fields, level, msg });
    };
  const logger = {
    level: 'trace',
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    silent: () => {},
    child: (more: object) => capturingLogger(lines, { ...bindings, ...more }),
  };
  return logger as unknown as Logger & StoreLogger;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const messages = (lines: Line[]) => lines.map((l) => `${l.level} ${l.msg}`);

describe('the MongoDB store logs its connection lifecycle (own FerretDB, stopped and restarted)', () => {
  const opened: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.stop();
  });

  it('connected, disconnected when the server stops, reconnected when it is back; never the URI', async () => {
    let server: LocalFerretDb = await startLocalFerretDb();
    opened.push({ stop: () => server.stop() });
    const port = Number(new URL(server.uri).port);
    const lines: Line[] = [];
    const logger = capturingLogger(lines);
    // A short heartbeat so the driver notices within a second rather than ten.
    const uri = `${server.uri}?heartbeatFrequencyMS=500`;
    const store = await openMongoStore({ uri, database: 'pdx_lifecycle', logger });
    opened.push({ stop: () => store.close() });
    const docs = await store.collection<{ id: string; n: number }>({ name: 'docs' });
    await docs.put({ id: 'a', n: 1 });
    expect(messages(lines)).toContain('info MongoDB connected');
    expect(lines.find((l) => l.msg === 'MongoDB connected')).toMatchObject({
      database: 'pdx_lifecycle',
      hosts: `127.0.0.1:${port}`,
      server: expect.stringMatching(/^FerretDB /),
    });

    await server.stop();
    await until('the disconnected line', () => lines.find((l) => l.msg === 'MongoDB disconnected'));
    expect(lines.find((l) => l.msg === 'MongoDB disconnected')).toMatchObject({
      level: 'warn',
      database: 'pdx_lifecycle',
      hosts: `127.0.0.1:${port}`,
    });
    await expect(docs.get('a')).rejects.toMatchObject({ code: 'PDX_STORE_UNAVAILABLE' });

    // The same port, a fresh data folder: what matters is that the connection comes back.
    server = await startLocalFerretDb({ port });
    await until('the reconnected line', () => lines.find((l) => l.msg === 'MongoDB reconnected'));
    expect(lines.find((l) => l.msg === 'MongoDB reconnected')).toMatchObject({ level: 'info' });
    await docs.put({ id: 'b', n: 2 });
    expect(await docs.get('b')).toEqual({ id: 'b', n: 2 });

    await store.close();
    expect(messages(lines).at(-1)).toBe('info MongoDB store closed');
    expect(JSON.stringify(lines)).not.toContain('heartbeatFrequencyMS');
  });
});

describe('the host gives the production store its logger', () => {
  it('logs which database each service opened, in production mode', async () => {
    const run = randomUUID().slice(0, 8);
    const mongodbUri = inject('mongodbUri');
    const lines: Line[] = [];
    const probe: ServiceDefinition = {
      name: 'probe',
      create: () => ({ name: 'probe', routes: async () => {}, start: async () => {}, stop: async () => {} }),
    };
    const host = await createHost({
      name: 'probe',
      services: [probe],
      env: {
        KAFKA_BROKERS: inject('kafkaBrokers'),
        MONGODB_URI: mongodbUri,
        KAFKA_TOPIC_PREFIX: `log${run}.`,
        MONGODB_DATABASE_PREFIX: `log${run}_`,
        KAFKA_PARTITIONS: '1',
      },
      logger: capturingLogger(lines),
    });
    try {
      expect(lines.find((l) => l.msg === 'MongoDB connected')).toMatchObject({
        level: 'info',
        database: `log${run}_probe`,
      });
    } finally {
      await host.stop();
      const connection = await mongoose.createConnection(mongodbUri).asPromise();
      await connection.useDb(`log${run}_probe`).dropDatabase();
      await connection.close();
    }
    expect(lines.filter((l) => l.msg === 'MongoDB store closed')).toHaveLength(1);
  });
});
