/**
 * `npm run bench`: published-and-consumed events/s and end-to-end latency (p50/p99) on the
 * embedded log and on Kafka, each next to a baseline measured in the same run on the same
 * storage (raw better-sqlite3 appends; raw kafkajs produce/consume). Ratios to the
 * baselines are what to compare across machines, not the absolute figures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus, type EventBus, KafkaEventBus } from '@pdx/bus';
import { samplePartyRegistered } from '@pdx/bus/testing';
import { type PdxEvent, SchemaRegistry, topics } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import Database from 'better-sqlite3';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startInfrastructure } from '../infra/index.js';

const N = Number(process.env.BENCH_EVENTS ?? 3000);
const PACE = Number(process.env.BENCH_PACE ?? 200);
const registry = new SchemaRegistry();
const fresh = (events: PdxEvent[]): PdxEvent[] => events.map((e) => ({ ...e, id: randomUUID() }));

interface Result {
  name: string;
  events: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summarise(
  name: string,
  startedAt: number,
  sent: Map<string, number>,
  received: Map<string, number>,
): Result {
  const latencies = [...received].map(([id, at]) => at - sent.get(id)!).sort((a, b) => a - b);
  const seconds = (Math.max(...received.values()) - startedAt) / 1000;
  return {
    name,
    events: received.size,
    seconds,
    perSecond: received.size / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/**
 * Publishes one event at a time (each awaited, as intake does) while a group consumes.
 * Unpaced, it measures saturation throughput (latency is then mostly queueing); paced at
 * `ratePerSecond`, it measures end-to-end latency under a steady load.
 */
async function measureBus(
  name: string,
  bus: EventBus,
  events: PdxEvent[],
  ratePerSecond?: number,
): Promise<Result> {
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const sub = await bus.subscribe({
    group: `bench-${randomUUID().slice(0, 8)}`,
    topics: [topics.parties],
    handler: async (e) => {
      if (!sent.has(e.id)) return;
      received.set(e.id, performance.now());
      if (received.size === events.length) done();
    },
  });
  for (const e of events) sent.set(e.id, Number.NaN);
  const startedAt = performance.now();
  for (const [i, e] of events.entries()) {
    if (ratePerSecond) {
      const due = startedAt + (i * 1000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    sent.set(e.id, performance.now());
    await bus.publish([e]);
  }
  await finished;
  await sub.stop();
  return summarise(name, startedAt, sent, received);
}

async function embeddedBaseline(events: PdxEvent[]): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-raw-'));
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, value TEXT)');
  const insert = db.prepare('INSERT INTO log (key, value) VALUES (?, ?)');
  const read = db.prepare('SELECT seq, value FROM log WHERE seq > ? ORDER BY seq LIMIT 100');
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  const startedAt = performance.now();
  let cursor = 0;
  for (const e of events) {
    sent.set(e.id, performance.now());
    insert.run(e.subject, JSON.stringify(e));
    for (const row of read.all(cursor) as { seq: number; value: string }[]) {
      received.set((JSON.parse(row.value) as { id: string }).id, performance.now());
      cursor = row.seq;
    }
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return summarise('embedded baseline: raw better-sqlite3 append + read', startedAt, sent, received);
}

async function kafkaBaseline(brokers: string[], events: PdxEvent[]): Promise<Result> {
  const kafka = new Kafka({ brokers, clientId: 'bench-raw', logLevel: logLevel.NOTHING });
  const topic = `bench-raw-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 6, replicationFactor: 1 }],
  });
  await admin.disconnect();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({ groupId: `${topic}-g` });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  const sent = new Map<string, number>();
  const received = new Map<string, number>();
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ message }) => {
      received.set(message.key!.toString(), performance.now());
      if (received.size === events.length) done();
    },
  });
  const startedAt = performance.now();
  for (const e of events) {
    sent.set(e.id, performance.now());
    await producer.send({ topic, acks: -1, messages: [{ key: e.id, value: JSON.stringify(e) }] });
  }
  await finished;
  await consumer.disconnect();
  await producer.disconnect();
  return summarise('Kafka baseline: raw kafkajs produce + consume', startedAt, sent, received);
}

function print(results: Result[], baseline: Result, subject: Result): void {
  for (const r of results) {
    console.log(
      `${r.name.padEnd(56)} ${r.perSecond.toFixed(0).padStart(7)} events/s   p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   (${r.events} events in ${r.seconds.toFixed(2)} s)`,
    );
  }
  console.log(
    `  ratio to baseline: throughput ${(subject.perSecond / baseline.perSecond).toFixed(2)}x, p50 latency ${(subject.p50 / baseline.p50).toFixed(2)}x, p99 latency ${(subject.p99 / baseline.p99).toFixed(2)}x\n`,
  );
}

async function main(): Promise<void> {
  const events = Array.from({ length: N }, (_, n) => samplePartyRegistered(registry, `party-${n % 500}`, n));
  console.log(
    `pdx bus benchmark: ${N} events of ${JSON.stringify(events[0]).length} bytes, one publish per event\n`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-'));
  const embedded = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
  await embeddedBaseline(events.slice(0, 200));
  const embeddedBase = await embeddedBaseline(events);
  const embeddedResult = await measureBus('embedded bus (SQLite, synchronous=FULL)', embedded, events);
  const embeddedPaced = await measureBus(
    `embedded bus, paced at ${PACE} events/s`,
    embedded,
    fresh(events.slice(0, PACE * 3)),
    PACE,
  );
  await embedded.close();
  rmSync(dir, { recursive: true, force: true });
  print([embeddedBase, embeddedResult, embeddedPaced], embeddedBase, embeddedResult);

  const infra = await startInfrastructure();
  const warmup = events.slice(0, 200);
  try {
    const brokers = infra.kafkaBrokers.split(',');
    console.log(`Kafka: ${infra.kafka.description}`);
    // Warm the broker and the JIT for both sides before anything is measured.
    await kafkaBaseline(brokers, warmup);
    const kafkaBase = await kafkaBaseline(brokers, events);
    const bus = new KafkaEventBus({
      brokers,
      clientId: 'bench',
      registry,
      logger: silentLogger(),
      topicPrefix: `bench${randomUUID().slice(0, 8)}.`,
      partitions: 6,
    });
    await bus.start();
    await measureBus('warm-up', bus, fresh(warmup));
    const kafkaResult = await measureBus('Kafka bus (kafkajs, idempotent, acks=all)', bus, events);
    const kafkaPaced = await measureBus(
      `Kafka bus, paced at ${PACE} events/s`,
      bus,
      fresh(events.slice(0, PACE * 3)),
      PACE,
    );
    await bus.close();
    print([kafkaBase, kafkaResult, kafkaPaced], kafkaBase, kafkaResult);
  } finally {
    await infra.stop();
  }
}

await main();
