import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { topics as allTopics, eventCatalog, type PdxEvent, type SchemaRegistry } from '@pdx/contracts';
import { type Clock, type Logger, type MetricsRegistry, sleep, systemClock } from '@pdx/runtime';
import Database from 'better-sqlite3';
import { BusMetrics, type ConsumerLag, registerConsumerLag } from './bus-metrics.js';
import { defaultHandlerRetry, deliver, type RawMessage } from './delivery.js';
import { BusError } from './errors.js';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  type DeadLetter,
  type EventBus,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionState,
} from './event-bus.js';

export interface EmbeddedBusOptions {
  /** Directory of the log file (`events.sqlite`); created if missing. */
  dataDir: string;
  registry: SchemaRegistry;
  logger: Logger;
  clock?: Clock;
  /** How often an idle consumer looks for new events written by another connection. */
  pollIntervalMs?: number;
  /**
   * The largest message (key, value and header bytes) the log accepts, like Kafka's
   * max.message.bytes: a larger one is refused (BusError marked messageTooLarge). Default:
   * no limit.
   */
  maxMessageBytes?: number;
  /** Where to count events published, consumed and dead-lettered, and sample consumer lag. */
  metrics?: MetricsRegistry;
  /** Consumer lag is sampled on scrape at most this often (ms); default 5000. */
  lagSampleIntervalMs?: number;
}

/** A message as the embedded log returns it. */
export interface EmbeddedLogMessage {
  key: string;
  /** The value as text (events are JSON text); see `bytes` for what was stored. */
  value: string;
  /** The value byte for byte. */
  bytes: Buffer;
  headers: Record<string, string>;
}

/** Events are stored as TEXT; raw messages and dead letters as BLOBs, byte for byte. */
interface LogRow {
  seq: number;
  topic: string;
  key: string;
  value: string | Buffer;
  headers: string;
}

interface NewRow {
  topic: string;
  key: string;
  value: string | Buffer;
  headers: string;
}

/**
 * The event log in one process, durable on disk: an append-only SQLite table (WAL,
 * synchronous=FULL, so a resolved publish survives a crash) plus committed offsets per
 * consumer group and topic. Each group consumes each topic with one sequential loop, which
 * gives the same per-key ordering as a Kafka partition. Used by `npm start`; one process
 * per data directory.
 */
export class EmbeddedEventBus implements EventBus {
  readonly #db: Database.Database;
  /** Offsets live on their own connection with synchronous=NORMAL: in WAL mode that survives
   * a process crash, and losing one to a power cut only means events are delivered again. */
  readonly #offsetsDb: Database.Database;
  readonly #registry: SchemaRegistry;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #appended = new EventEmitter();
  readonly #subscriptions = new Map<Subscription, SubscriptionState>();
  readonly #subscribedTopics = new Map<Subscription, { group: string; topics: readonly string[] }>();
  readonly #maxMessageBytes: number;
  readonly #metrics: BusMetrics;
  readonly #queue: {
    rows: NewRow[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  readonly #insert: Database.Statement;
  readonly #read: Database.Statement;
  readonly #getOffset: Database.Statement;
  readonly #setOffset: Database.Statement;
  readonly #countAfter: Database.Statement;
  #closed = false;

  constructor(options: EmbeddedBusOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.#db = new Database(join(options.dataDir, 'events.sqlite'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        topic TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        headers TEXT NOT NULL,
        appended_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS log_topic_seq ON log (topic, seq);
      CREATE TABLE IF NOT EXISTS offsets (
        grp TEXT NOT NULL,
        topic TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (grp, topic)
      );`);
    this.#insert = this.#db.prepare(
      'INSERT INTO log (topic, key, value, headers, appended_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#read = this.#db.prepare(
      'SELECT seq, topic, key, value, headers FROM log WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.#offsetsDb = new Database(join(options.dataDir, 'events.sqlite'));
    this.#offsetsDb.pragma('synchronous = NORMAL');
    this.#offsetsDb.pragma('busy_timeout = 5000');
    this.#getOffset = this.#offsetsDb.prepare('SELECT seq FROM offsets WHERE grp = ? AND topic = ?');
    this.#setOffset = this.#offsetsDb.prepare(
      'INSERT INTO offsets (grp, topic, seq) VALUES (?, ?, ?) ON CONFLICT (grp, topic) DO UPDATE SET seq = excluded.seq',
    );
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#pollMs = options.pollIntervalMs ?? 1_000;
    this.#maxMessageBytes = options.maxMessageBytes ?? Number.POSITIVE_INFINITY;
    this.#appended.setMaxListeners(0);
    this.#countAfter = this.#offsetsDb.prepare('SELECT COUNT(*) AS n FROM log WHERE topic = ? AND seq > ?');
    this.#metrics = new BusMetrics(options.metrics);
    registerConsumerLag(
      options.metrics,
      async () => this.#consumerLag(),
      options.lagSampleIntervalMs ?? 5_000,
    );
  }

  /**
   * The embedded equivalent of Kafka's lag: messages of the topic after the group's committed
   * offset. An indexed range count, so it costs as much as the lag is long.
   */
  #consumerLag(): ConsumerLag[] {
    if (this.#closed) return [];
    const lags: ConsumerLag[] = [];
    for (const { group, topics } of this.#subscribedTopics.values()) {
      for (const topic of topics) {
        const committed = (this.#getOffset.get(group, topic) as { seq: number } | undefined)?.seq ?? 0;
        const { n } = this.#countAfter.get(topic, committed) as { n: number };
        lags.push({ group, topic, messages: n });
      }
    }
    return lags;
  }

  async start(): Promise<void> {
    this.#assertOpen();
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    this.#db.prepare('SELECT 1').get();
  }

  /**
   * Group commit: publications made in the same turn of the event loop are appended in one
   * fsync'd transaction, and each resolves once that commit is on disk.
   */
  publish(events: readonly PdxEvent[]): Promise<void> {
    if (this.#closed)
      return Promise.reject(new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'the event log is closed'));
    const headers = JSON.stringify({ 'content-type': CLOUDEVENTS_CONTENT_TYPE });
    const rows = events.map((e) => ({
      topic: eventCatalog[e.type].topic,
      key: e.subject,
      value: JSON.stringify(e),
      headers,
    }));
    // Refused alone, before the group commit: one oversized event must not fail its neighbours.
    try {
      for (const r of rows) this.#checkSize(r);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ rows, resolve, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#flushQueue());
    });
  }

  #flushQueue(): void {
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    try {
      this.#assertOpen();
      this.#appendAll(
        batch.flatMap((p) => p.rows),
        this.#clock.now(),
      );
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    for (const p of batch) {
      for (const r of p.rows) this.#metrics.published(r.topic, 1);
      p.resolve();
    }
  }

  /** Appends an arbitrary message, bytes kept as given (tests use it to inject poison). */
  appendRaw(
    topic: string,
    key: string,
    value: string | Uint8Array,
    headers: Record<string, string> = {},
  ): void {
    this.#assertOpen();
    const bytes = typeof value === 'string' ? value : Buffer.from(value);
    this.#appendAll([{ topic, key, value: bytes, headers: JSON.stringify(headers) }], this.#clock.now());
  }

  /** Every message on a topic, oldest first (tests and tools read the dead-letter topic with it). */
  readTopic(topic: string): EmbeddedLogMessage[] {
    return (this.#read.all(topic, 0, 1_000_000) as LogRow[]).map((r) => ({
      key: r.key,
      value: typeof r.value === 'string' ? r.value : r.value.toString('utf8'),
      bytes: typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value,
      headers: JSON.parse(r.headers) as Record<string, string>,
    }));
  }

  /** Key, value and headers in bytes, as Kafka counts a record against max.message.bytes. */
  #checkSize(row: NewRow): void {
    if (this.#maxMessageBytes === Number.POSITIVE_INFINITY) return;
    const headers = JSON.parse(row.headers) as Record<string, string>;
    let size = Buffer.byteLength(row.key) + Buffer.byteLength(row.value);
    for (const [name, value] of Object.entries(headers))
      size += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (size > this.#maxMessageBytes) {
      throw new BusError(
        'PDX_EVENT_LOG_UNAVAILABLE',
        `a message of ${size} bytes is larger than the log accepts (${this.#maxMessageBytes})`,
        { messageTooLarge: true },
      );
    }
  }

  #appendAll(rows: NewRow[], now: number): void {
    for (const r of rows) this.#checkSize(r);
    try {
      this.#db.transaction(() => {
        for (const r of rows) this.#insert.run(r.topic, r.key, r.value, r.headers, now);
      })();
    } catch (error) {
      throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'the embedded event log could not append', {
        cause: error,
      });
    }
    for (const topic of new Set(rows.map((r) => r.topic))) this.#appended.emit(topic);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.#assertOpen();
    const controller = new AbortController();
    const loops = options.topics.map((topic) => this.#consume(topic, options, controller.signal));
    const subscription: Subscription = {
      stop: async () => {
        controller.abort();
        await Promise.allSettled(loops);
        this.#subscriptions.delete(subscription);
        this.#subscribedTopics.delete(subscription);
      },
    };
    this.#subscribedTopics.set(subscription, { group: options.group, topics: options.topics });
    // One process owns the log: there is no group to wait for.
    this.#subscriptions.set(subscription, {
      group: options.group,
      state: 'joined',
      sinceMs: this.#clock.now(),
    });
    return subscription;
  }

  subscriptionStates(): readonly SubscriptionState[] {
    return [...this.#subscriptions.values()];
  }

  async #consume(topic: string, options: SubscribeOptions, signal: AbortSignal): Promise<void> {
    const logger = this.#logger.child({ group: options.group, topic });
    const row = this.#getOffset.get(options.group, topic) as { seq: number } | undefined;
    let committed = row?.seq ?? 0;
    const wake = new EventEmitter();
    const onAppend = () => wake.emit('wake');
    this.#appended.on(topic, onAppend);
    try {
      while (!signal.aborted) {
        const batch = this.#read.all(topic, committed, 100) as LogRow[];
        if (batch.length === 0) {
          await waitFor(wake, this.#pollMs, signal);
          continue;
        }
        let done = committed;
        for (const r of batch) {
          if (signal.aborted) break;
          const headers: Record<string, Buffer> = {};
          for (const [name, value] of Object.entries(JSON.parse(r.headers) as Record<string, string>)) {
            headers[name] = Buffer.from(value, 'utf8');
          }
          const message: RawMessage = {
            topic,
            partition: 0,
            offset: String(r.seq),
            key: Buffer.from(r.key, 'utf8'),
            value: typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value,
            headers,
          };
          try {
            await deliver(message, {
              group: options.group,
              registry: this.#registry,
              handler: options.handler,
              retry: options.retry ?? defaultHandlerRetry,
              clock: this.#clock,
              logger,
              signal,
              metrics: this.#metrics,
              deadLetter: async (letter) => this.#appendAll([deadLetterRow(letter)], this.#clock.now()),
            });
          } catch (error) {
            // Not handled and not dead-lettered (shutdown mid-retry, or the log failed):
            // the offset stays where it is and the event is delivered again.
            logger.warn({ err: error, seq: r.seq }, 'event left uncommitted');
            if (!signal.aborted) await sleep(this.#pollMs, signal);
            break;
          }
          done = r.seq;
        }
        // One commit per batch: a crash redelivers at most the batch (at-least-once).
        if (done !== committed) {
          this.#setOffset.run(options.group, topic, done);
          committed = done;
        }
      }
    } finally {
      this.#appended.off(topic, onAppend);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Publications already queued are committed, not dropped.
    this.#flushQueue();
    await Promise.all([...this.#subscriptions.keys()].map((s) => s.stop()));
    this.#closed = true;
    this.#offsetsDb.close();
    this.#db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'the event log is closed');
  }
}

/** The log keeps keys and headers as text: embedded messages only ever carry text there. */
function deadLetterRow(letter: DeadLetter): NewRow {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(letter.headers)) {
    const first = typeof value === 'string' || Buffer.isBuffer(value) ? value : value[0];
    if (first !== undefined) headers[name] = first.toString('utf8');
  }
  return {
    topic: allTopics.deadLetter,
    key: letter.key?.toString('utf8') ?? '',
    value: Buffer.from(letter.value),
    headers: JSON.stringify(headers),
  };
}

function waitFor(emitter: EventEmitter, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off('wake', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    emitter.once('wake', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
