import { createHook } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { SchemaRegistry, topics } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { KafkaEventBus } from './kafka-bus.js';
import { type BusHarness, eventBusContract, eventually, type LoggedMessage } from './testing.js';

const registry = new SchemaRegistry();
const brokers = inject('kafkaBrokers').split(',');

function open(prefix: string) {
  return new KafkaEventBus({
    brokers,
    clientId: 'pdx-bus-test',
    registry,
    logger: silentLogger(),
    topicPrefix: prefix,
    partitions: 3,
    sessionTimeoutMs: 10_000,
  });
}

/** Reads the dead-letter topic with a plain kafkajs consumer, independent of the adapter. */
async function readDeadLetters(prefix: string, count: number): Promise<LoggedMessage[]> {
  const kafka = new Kafka({ brokers, clientId: 'pdx-dlq-reader', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${prefix}dlq-reader-${randomUUID()}` });
  const letters: LoggedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: `${prefix}${topics.deadLetter}`, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${letters.length} of ${count} dead letters`)),
        30_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {}))
            if (v !== undefined) headers[k] = String(v);
          letters.push({
            key: message.key?.toString() ?? '',
            value: message.value ?? Buffer.alloc(0),
            headers,
          });
          if (letters.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return letters;
}

/** Kept low on the harness's topics so that a message can fill it in a test. */
const MESSAGE_LIMIT_BYTES = 32 * 1024;

/** The topics the contract uses, created before the bus does with a low max.message.bytes. */
async function createLimitedTopics(prefix: string): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'pdx-bus-test-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    // Right after creation a broker may not know its new partitions yet: ask again.
    await eventually(() =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [topics.parties, topics.deadLetter].map((topic) => ({
          topic: `${prefix}${topic}`,
          numPartitions: 3,
          configEntries: [{ name: 'max.message.bytes', value: String(MESSAGE_LIMIT_BYTES) }],
        })),
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

eventBusContract('Kafka', registry, async (): Promise<BusHarness> => {
  const prefix = `t${randomUUID().slice(0, 8)}.`;
  await createLimitedTopics(prefix);
  const bus = open(prefix);
  await bus.start();
  const others: KafkaEventBus[] = [];
  return {
    bus,
    messageLimitBytes: MESSAGE_LIMIT_BYTES,
    injectRaw: (topic, key, value, headers) => bus.produceRaw(topic, key, value, headers),
    deadLetters: (count) => readDeadLetters(prefix, count),
    reopen: async () => {
      const again = open(prefix);
      others.push(again);
      await again.start();
      return again;
    },
    cleanup: async () => {
      for (const b of others) await b.close();
      await bus.close();
    },
  };
});

describe('KafkaEventBus, idle', () => {
  it('keeps no timer spinning while connected and consuming with nothing to do', async () => {
    const prefix = `t${randomUUID().slice(0, 8)}.`;
    const bus = open(prefix);
    await bus.start();
    const sub = await bus.subscribe({ group: 'idle', topics: [topics.parties], handler: async () => {} });
    try {
      await eventually(() => expect(bus.subscriptionStates().map((s) => s.state)).toEqual(['joined']));
      // kafkajs 2.2.4 rescheduled its request queue's check every 1 ms on every connection
      // when nothing was pending (tulios/kafkajs#1704): thousands of timers a second. Fetches
      // waiting out their wait time and heartbeats need a few.
      let timers = 0;
      const hook = createHook({
        init(_id, type) {
          if (type === 'Timeout') timers++;
        },
      }).enable();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      hook.disable();
      expect(timers).toBeLessThan(300);
    } finally {
      await sub.stop();
      await bus.close();
    }
  });
});
