import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, sampleJwk } from '@pdx/bus/testing';
import { topics } from '@pdx/contracts';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { createHost, type Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { silentLogger } from '@pdx/runtime';
import { openMongoStore } from '@pdx/store';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type LocalKafka, startLocalKafka } from '../infra/index.js';
import { obtainToken, viaHost } from './access-tokens.js';
import { countMessages } from './drill-tools.js';

const mongodbUri = inject('mongodbUri');

/**
 * Drill: the event log goes away under intake (a dedicated broker, stopped and started
 * again). A change must be answered 503 within PDX_PUBLISH_TIMEOUT_MS, stay recorded, and
 * reach the log exactly once when it is back.
 */
describe('drill: intake during a Kafka outage (dedicated broker, FerretDB)', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `outage${run}.`;
  const dbPrefix = `outage${run}_`;
  const publishTimeoutMs = Number(process.env.DRILL_PUBLISH_TIMEOUT_MS ?? 5_000);
  let kafka: LocalKafka | undefined;
  let host: Host | undefined;

  afterAll(async () => {
    await host?.stop();
    await kafka?.stop();
    const conn = await mongoose.createConnection(mongodbUri).asPromise();
    await conn.useDb(`${dbPrefix}intake`).dropDatabase();
    await conn.close();
  });

  it('answers 503 in bounded time, keeps the change, and publishes it once the broker is back', async () => {
    kafka = await startLocalKafka();
    const operator = await generateSigningKey('EdDSA', 'ops');
    host = await createHost({
      name: 'outage-intake',
      services: [intakeService],
      env: {
        KAFKA_BROKERS: kafka.brokers,
        MONGODB_URI: mongodbUri,
        KAFKA_TOPIC_PREFIX: prefix,
        MONGODB_DATABASE_PREFIX: dbPrefix,
        KAFKA_PARTITIONS: '3',
        PORT: '0',
        PDX_PUBLISH_TIMEOUT_MS: String(publishTimeoutMs),
        PDX_OUTBOX_LEASE_MS: String(Math.max(60_000, 2 * publishTimeoutMs)),
        PDX_OUTBOX_FLUSH_MS: '1000',
        PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [operator.publicJwk] } }]),
        PDX_EXCHANGE_KEY: JSON.stringify((await generateSigningKey('EdDSA', 'exchange')).privateJwk),
      },
      logger: silentLogger(),
    });
    await host.start();
    const opsKey: PrivateJwk = operator.privateJwk;
    let token: string | undefined;
    const register = async (partyId: string) => {
      token ??= await obtainToken(
        viaHost(() => host!),
        'ops',
        opsKey,
      );
      const started = performance.now();
      const res = await host!.http.inject({
        method: 'POST',
        url: '/v1/parties',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles: ['partner'],
          jwks: { keys: [{ ...sampleJwk }] },
        },
      });
      return { res, ms: performance.now() - started };
    };

    expect((await register('before-outage')).res.statusCode).toBe(201);
    await kafka.stopBroker();

    const answers = [];
    for (const partyId of ['during-outage-1', 'during-outage-2']) {
      const { res, ms } = await register(partyId);
      answers.push(ms);
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({
        code: 'PDX_EVENT_LOG_UNAVAILABLE',
        detail: expect.stringContaining('the change is recorded'),
      });
    }
    console.log(
      `[drill] broker stopped: 503 after ${answers.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(' and ')} (PDX_PUBLISH_TIMEOUT_MS ${publishTimeoutMs})`,
    );
    for (const ms of answers) expect(ms).toBeLessThan(publishTimeoutMs + 1_500);

    const store = await openMongoStore({ uri: mongodbUri, database: `${dbPrefix}intake` });
    try {
      const parties = await store.collection<{ id: string; pending: boolean }>({ name: 'parties' });
      expect((await parties.get('during-outage-1'))?.pending).toBe(true);
      const downAt = performance.now();
      await kafka.startBroker();
      // The flusher publishes the pending changes once the broker answers again.
      await eventually(async () => expect(await parties.count({ pending: true })).toBe(0), 120_000);
      console.log(
        `[drill] broker back: pending events published ${((performance.now() - downAt) / 1000).toFixed(1)} s after its restart began`,
      );
    } finally {
      await store.close();
    }
    // A retry of a request answered 503 is now a repeat: 200, nothing new published.
    expect((await register('during-outage-1')).res.statusCode).toBe(200);
    await host.stop();
    host = undefined;
    expect(await countMessages(kafka.brokers, `${prefix}${topics.parties}`)).toEqual({
      messages: 3,
      distinct: 3,
    });
  }, 300_000);
});

describe('intake publish bound settings', () => {
  it.each([
    [{ PDX_PUBLISH_TIMEOUT_MS: 'soon' }, 'PDX_PUBLISH_TIMEOUT_MS must be an integer'],
    [{ PDX_PUBLISH_TIMEOUT_MS: '50' }, 'PDX_PUBLISH_TIMEOUT_MS must be between 100 and 120000'],
    [
      { PDX_PUBLISH_TIMEOUT_MS: '20000', PDX_OUTBOX_LEASE_MS: '30000' },
      'at least twice PDX_PUBLISH_TIMEOUT_MS',
    ],
  ])('refuses %o at start-up', async (settings, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'pdx-settings-'));
    try {
      const created = createHost({
        name: 'intake',
        services: [intakeService],
        env: { PDX_DATA_DIR: dir, ...settings },
        logger: silentLogger(),
      });
      await expect(created).rejects.toMatchObject({
        code: 'PDX_CONFIG_INVALID',
        message: expect.stringContaining(message),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
