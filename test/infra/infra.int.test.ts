import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mongoose from 'mongoose';
import { describe, expect, inject, it } from 'vitest';

describe('integration infrastructure', () => {
  it('delivers a produced message to a consumer', async () => {
    const topic = `pdx-infra-${randomUUID()}`;
    const kafka = new Kafka({
      clientId: 'pdx-infra-test',
      brokers: inject('kafkaBrokers').split(','),
      logLevel: logLevel.WARN,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    try {
      await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received = new Promise<{ key: string; value: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            resolve({ key: String(message.key), value: String(message.value) });
          },
        });
      });

      await producer.send({ topic, messages: [{ key: 'party-1', value: 'declaration submitted' }] });

      expect(await received).toEqual({ key: 'party-1', value: 'declaration submitted' });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
  });

  it('stores and reads back a document', async () => {
    const dbName = `pdx_infra_${randomUUID().replaceAll('-', '')}`;
    const connection = mongoose.createConnection(inject('mongodbUri'), { dbName });
    try {
      await connection.asPromise();
      const Party = connection.model('Party', new mongoose.Schema({ name: String, role: String }));

      await Party.create({ name: 'Acme Logistics', role: 'business partner' });
      const found = await Party.findOne({ name: 'Acme Logistics' }).lean();

      expect(found).toMatchObject({ name: 'Acme Logistics', role: 'business partner' });
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });
});
