import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedEventBus, KafkaEventBus } from '@pdx/bus';
import { topics } from '@pdx/contracts';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { inject } from 'vitest';
import { partySliceSuite } from './party-slice.js';

partySliceSuite('embedded log and store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-slice-'));
  return {
    env: { PDX_DATA_DIR: dir },
    countPublished: async (bus, topic = topics.parties) => (bus as EmbeddedEventBus).readTopic(topic).length,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

partySliceSuite('Kafka and MongoDB wire protocol', async () => {
  const brokers = inject('kafkaBrokers');
  const mongodbUri = inject('mongodbUri');
  const run = randomUUID().slice(0, 8);
  const prefix = `slice${run}.`;
  const dbPrefix = `slice${run}_`;
  return {
    env: {
      KAFKA_BROKERS: brokers,
      MONGODB_URI: mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      MONGODB_DATABASE_PREFIX: dbPrefix,
      KAFKA_PARTITIONS: '3',
    },
    countPublished: async (bus, topic = topics.parties) => {
      const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets((bus as KafkaEventBus).topic(topic));
        return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
      } finally {
        await admin.disconnect();
      }
    },
    cleanup: async () => {
      const conn = await mongoose.createConnection(mongodbUri).asPromise();
      for (const db of ['intake', 'status']) await conn.useDb(`${dbPrefix}${db}`).dropDatabase();
      await conn.close();
    },
  };
});
