import { randomUUID } from 'node:crypto';
import { KafkaEventBus } from '@pdx/bus';
import { eventually, samplePartyRegistered } from '@pdx/bus/testing';
import { type PdxEvent, SchemaRegistry } from '@pdx/contracts';
import { DIRECTORY_GROUP } from '@pdx/directory';
import { silentLogger } from '@pdx/runtime';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type RunningService, spawnService } from './spawn-service.js';

const registry = new SchemaRegistry();
const brokers = inject('kafkaBrokers');
const mongodbUri = inject('mongodbUri');

describe('directory service: two instances in one consumer group, one killed mid-stream', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `failover${run}.`;
  const dbPrefix = `failover${run}_`;
  const env = {
    KAFKA_BROKERS: brokers,
    MONGODB_URI: mongodbUri,
    KAFKA_TOPIC_PREFIX: prefix,
    MONGODB_DATABASE_PREFIX: dbPrefix,
    KAFKA_PARTITIONS: '6',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    // Status checks access tokens: against the exchange key here (PDX_AUTH_JWKS_URL otherwise).
    PDX_EXCHANGE_KEY: JSON.stringify({
      kty: 'OKP',
      crv: 'Ed25519',
      kid: 'exchange-failover',
      alg: 'EdDSA',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
      d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
    }),
  };
  const instances: RunningService[] = [];
  let conn: mongoose.Connection | undefined;

  afterAll(async () => {
    for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
    await conn?.useDb(`${dbPrefix}directory`).dropDatabase();
    await conn?.close();
  });

  it('applies every event exactly once in effect', async () => {
    const publisher = new KafkaEventBus({
      brokers: brokers.split(','),
      clientId: 'failover-test',
      registry,
      logger: silentLogger(),
      topicPrefix: prefix,
      partitions: 6,
    });
    await publisher.start();
    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    conn = await mongoose.createConnection(mongodbUri).asPromise();
    const db = conn.useDb(`${dbPrefix}directory`);
    try {
      for (let i = 0; i < 2; i++) instances.push(await spawnService('services/directory/dist/main.js', env));
      // Both members joined and own partitions before the stream starts.
      await eventually(async () => {
        const { groups } = await admin.describeGroups([`${prefix}${DIRECTORY_GROUP}`]);
        expect(groups[0]?.state).toBe('Stable');
        expect(groups[0]?.members).toHaveLength(2);
      }, 60_000);

      const total = 400;
      const events: PdxEvent[] = Array.from({ length: total }, (_, n) =>
        samplePartyRegistered(registry, `party-${n}`, n),
      );
      const applied = () => db.collection('applied_events').countDocuments();
      let killedAt = -1;
      for (let start = 0; start < total; start += 20) {
        await publisher.publish(events.slice(start, start + 20));
        if (killedAt < 0 && start >= total / 3 && (await applied()) > 0) {
          // Mid-stream: the victim has events fetched and in flight, some not yet committed.
          instances[0]!.child.kill('SIGKILL');
          killedAt = start;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(killedAt).toBeGreaterThan(0);
      expect(await instances[0]!.exited).toBe('SIGKILL');

      await eventually(async () => expect(await applied()).toBe(total), 90_000);
      const parties = await db.collection('parties').find({}).toArray();
      expect(parties).toHaveLength(total);
      const bySubject = new Map(events.map((e) => [e.subject, e]));
      for (const p of parties) {
        const source = bySubject.get(String(p._id));
        expect(source, `unexpected party ${String(p._id)}`).toBeDefined();
        expect(p.sourceEventId).toBe(source!.id);
        expect(p.legalName).toBe(
          source!.type === 'org.pdx.party.registered.v1' ? source!.data.party.legalName : '',
        );
      }
      const ids = (await db.collection('applied_events').find({}).toArray()).map((d) => String(d._id));
      expect(new Set(ids).size).toBe(total);
      expect(new Set(ids)).toEqual(new Set(events.map((e) => e.id)));

      // The survivor shuts down gracefully on SIGTERM.
      instances[1]!.child.kill('SIGTERM');
      expect(await instances[1]!.exited).toBe(0);
    } finally {
      await admin.disconnect();
      await publisher.close();
    }
  }, 240_000);
});
