import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedEventBus, EventBus, KafkaEventBus } from '@pdx/bus';
import { topics } from '@pdx/contracts';
import { generateSigningKey } from '@pdx/crypto';
import type { Env } from '@pdx/runtime';
import { type DocumentStore, openEmbeddedStore, openMongoStore } from '@pdx/store';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';

/** Where an end-to-end suite runs: the environment of its host and how to read the log. */
export interface SliceTarget {
  env: Env;
  /** How many messages the log holds on a topic (default: parties). */
  countPublished(bus: EventBus, topic?: string): Promise<number>;
  /** A second handle on one service's database, for a test to read what the service stored. */
  openStore(database: string): Promise<DocumentStore>;
  cleanup?(): Promise<void>;
}

/** The embedded log and store in a fresh data directory. */
export async function embeddedTarget(): Promise<SliceTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-slice-'));
  return {
    // One issuer for the hosts of a test (as behind the gateway): each accepts the others' tokens.
    env: { PDX_DATA_DIR: dir, PDX_PUBLIC_URL: 'http://pdx.test' },
    countPublished: async (bus, topic = topics.parties) => (bus as EmbeddedEventBus).readTopic(topic).length,
    openStore: async (database) => openEmbeddedStore({ dir, database }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Kafka and a MongoDB-wire database, with topic and database names of this run only. */
export async function kafkaMongoTarget(
  brokers: string,
  mongodbUri: string,
  databases: readonly string[],
): Promise<SliceTarget> {
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
      // Production signs access tokens (and more) with the exchange key, and names one issuer.
      PDX_EXCHANGE_KEY: JSON.stringify((await generateSigningKey('EdDSA', `exchange-${run}`)).privateJwk),
      PDX_PUBLIC_URL: 'http://pdx.test',
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
    openStore: (database) => openMongoStore({ uri: mongodbUri, database: `${dbPrefix}${database}` }),
    cleanup: async () => {
      const conn = await mongoose.createConnection(mongodbUri).asPromise();
      for (const db of databases) await conn.useDb(`${dbPrefix}${db}`).dropDatabase();
      await conn.close();
    },
  };
}
