import type { PdxEvent } from '@pdx/contracts';
import { Kafka, logLevel } from 'kafkajs';

/** Every message of a topic: how many, and how many distinct event ids among them. */
export async function countMessages(
  brokers: string,
  prefixedTopic: string,
): Promise<{ messages: number; distinct: number }> {
  const kafka = new Kafka({
    brokers: brokers.split(','),
    clientId: 'drill-reader',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(prefixedTopic);
  await admin.disconnect();
  const messages = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const ids = new Set<string>();
  let seen = 0;
  const consumer = kafka.consumer({ groupId: `drill-reader-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: prefixedTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${seen} of ${messages} messages`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          ids.add((JSON.parse(message.value!.toString()) as PdxEvent).id);
          if (++seen >= messages) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      if (messages === 0) resolve();
    });
  } finally {
    await consumer.disconnect();
  }
  return { messages, distinct: ids.size };
}
