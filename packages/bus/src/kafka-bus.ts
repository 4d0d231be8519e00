import { topics as allTopics, eventCatalog, type PdxEvent, type SchemaRegistry } from '@pdx/contracts';
import { type Clock, type Logger, type MetricsRegistry, sleep, systemClock } from '@pdx/runtime';
import {
  type Admin,
  type Consumer,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { BusMetrics, type ConsumerLag, registerConsumerLag } from './bus-metrics.js';
import { defaultHandlerRetry, deliver } from './delivery.js';
import { BusError } from './errors.js';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  type DeadLetter,
  type EventBus,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionState,
} from './event-bus.js';

export interface KafkaBusOptions {
  brokers: readonly string[];
  clientId: string;
  registry: SchemaRegistry;
  logger: Logger;
  clock?: Clock;
  /** Partitions of topics this bus creates (existing topics are left as they are). */
  partitions?: number;
  replicationFactor?: number;
  /** Prepended to every topic name; isolates test runs or tenants sharing a cluster. */
  topicPrefix?: string;
  /** Partitions of one subscription processed concurrently (order is kept within a partition). */
  concurrency?: number;
  /**
   * How long the group waits for a silent member before it moves its partitions (default
   * 10 s; brokers refuse less than group.min.session.timeout.ms, 6 s by default). A member
   * restarted after a crash joins only once its dead predecessor's session has timed out:
   * kafkajs has no static membership (KIP-345) to take the old place over. Heartbeats go
   * every fifth of it.
   */
  sessionTimeoutMs?: number;
  /** How long a rebalance waits for the live members to rejoin (default twice the session timeout). */
  rebalanceTimeoutMs?: number;
  /** Retries of a send before publish() rejects with PDX_EVENT_LOG_UNAVAILABLE. */
  publishRetries?: number;
  /** Extra kafkajs settings (SSL, SASL) for production clusters. */
  kafka?: Partial<KafkaConfig>;
  /** Where to count events published, consumed and dead-lettered, and sample consumer lag. */
  metrics?: MetricsRegistry;
  /**
   * Consumer lag is sampled on scrape, at most this often (ms; default 5000): two admin
   * requests per group and one per topic, answered from the broker's memory.
   */
  lagSampleIntervalMs?: number;
}

/**
 * The event log on Apache Kafka (kafkajs). Structured-mode CloudEvents, key = party id,
 * idempotent producer with acks=all, one kafkajs consumer per subscription, offsets
 * committed only after the event is handled or dead-lettered.
 */
export class KafkaEventBus implements EventBus {
  readonly #kafka: Kafka;
  readonly #options: KafkaBusOptions;
  readonly #clock: Clock;
  readonly #admin: Admin;
  readonly #producer: Producer;
  readonly #subscriptions = new Map<Subscription, SubscriptionState>();
  readonly #subscribedTopics = new Map<Subscription, { group: string; topics: readonly string[] }>();
  readonly #metrics: BusMetrics;
  #started: Promise<void> | undefined;
  #closed = false;

  constructor(options: KafkaBusOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    const log = options.logger.child({ component: 'kafkajs' });
    this.#kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: { message, ...extra } }) => {
          if (message.startsWith('Limiting retries for the idempotent producer')) return;
          if (level <= logLevel.ERROR) log.error(extra, message);
          else if (level === logLevel.WARN) log.warn(extra, message);
          else log.debug(extra, message);
        },
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
      ...options.kafka,
    });
    this.#admin = this.#kafka.admin();
    // Idempotent producer: broker-side deduplication of retried sends; with one request in
    // flight, retries cannot reorder a party's events. kafkajs would retry an idempotent send
    // forever, which turns an unreachable cluster into a request that never answers; bounded
    // retries answer 503 instead, and a send that did land after all is a duplicate event id
    // that consumers drop.
    this.#producer = this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: options.publishRetries ?? 6, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.#metrics = new BusMetrics(options.metrics);
    registerConsumerLag(options.metrics, () => this.#consumerLag(), options.lagSampleIntervalMs ?? 5_000);
  }

  /**
   * Kafka's consumer lag: per partition, the high watermark minus the group's committed
   * offset (minus the low watermark when the group has committed nothing there yet, since a
   * new group starts from the beginning), summed per topic.
   */
  async #consumerLag(): Promise<ConsumerLag[]> {
    if (this.#closed || this.#started === undefined) return [];
    const prefix = this.#options.topicPrefix ?? '';
    const watermarks = new Map<string, Promise<{ partition: number; low: string; high: string }[]>>();
    const ends = (topic: string) => {
      let found = watermarks.get(topic);
      if (!found) {
        found = this.#admin.fetchTopicOffsets(this.topic(topic));
        watermarks.set(topic, found);
      }
      return found;
    };
    const lags: ConsumerLag[] = [];
    for (const { group, topics } of this.#subscribedTopics.values()) {
      const committed = await this.#admin.fetchOffsets({
        groupId: `${prefix}${group}`,
        topics: topics.map((t) => this.topic(t)),
      });
      for (const topic of topics) {
        const offsets = committed.find((c) => c.topic === this.topic(topic))?.partitions ?? [];
        let messages = 0;
        for (const p of await ends(topic)) {
          const at = offsets.find((o) => o.partition === p.partition)?.offset ?? '-1';
          const from = Number(at) >= 0 ? Number(at) : Number(p.low);
          messages += Math.max(0, Number(p.high) - from);
        }
        lags.push({ group, topic, messages });
      }
    }
    return lags;
  }

  topic(name: string): string {
    return `${this.#options.topicPrefix ?? ''}${name}`;
  }

  start(): Promise<void> {
    this.#started ??= this.#start().catch((error: unknown) => {
      this.#started = undefined;
      throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'could not connect to Kafka', { cause: error });
    });
    return this.#started;
  }

  async #start(): Promise<void> {
    await this.#admin.connect();
    const wanted = [...new Set([...Object.values(eventCatalog).map((e) => e.topic), allTopics.deadLetter])];
    await this.#admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((t) => ({
        topic: this.topic(t),
        numPartitions: this.#options.partitions ?? 6,
        replicationFactor: this.#options.replicationFactor ?? 1,
      })),
    });
    await this.#producer.connect();
  }

  async ping(): Promise<void> {
    try {
      await this.#admin.describeCluster();
    } catch (error) {
      throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'Kafka did not answer', { cause: error });
    }
  }

  async publish(events: readonly PdxEvent[]): Promise<void> {
    if (this.#closed) throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'the event log is closed');
    await this.start();
    const byTopic = new Map<string, Message[]>();
    for (const e of events) {
      const topic = this.topic(eventCatalog[e.type].topic);
      const list = byTopic.get(topic) ?? [];
      list.push({
        key: e.subject,
        value: JSON.stringify(e),
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
      });
      byTopic.set(topic, list);
    }
    await this.#send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
    for (const e of events) this.#metrics.published(eventCatalog[e.type].topic, 1);
  }

  /** Produces an arbitrary message, bytes kept as given (tests use it to inject poison). */
  async produceRaw(
    topic: string,
    key: string,
    value: string | Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<void> {
    await this.start();
    const bytes = typeof value === 'string' ? value : Buffer.from(value);
    await this.#send([{ topic: this.topic(topic), messages: [{ key, value: bytes, headers }] }]);
  }

  async #send(topicMessages: { topic: string; messages: Message[] }[]) {
    try {
      await this.#producer.sendBatch({ topicMessages, acks: -1 });
    } catch (error) {
      const messageTooLarge = refusedForSize(error);
      throw new BusError(
        'PDX_EVENT_LOG_UNAVAILABLE',
        messageTooLarge
          ? 'Kafka refused the message: it is larger than the topic accepts (max.message.bytes)'
          : 'Kafka did not acknowledge the events',
        { cause: error, messageTooLarge },
      );
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.#closed) throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'the event log is closed');
    await this.start();
    const logger = this.#options.logger.child({ group: options.group });
    const sessionTimeout = this.#options.sessionTimeoutMs ?? 10_000;
    // kafkajs heartbeats between fetches: a fetch must not wait longer than a heartbeat.
    const heartbeatInterval = Math.max(500, Math.floor(sessionTimeout / 5));
    const consumer: Consumer = this.#kafka.consumer({
      groupId: `${this.#options.topicPrefix ?? ''}${options.group}`,
      sessionTimeout,
      heartbeatInterval,
      maxWaitTimeInMs: heartbeatInterval,
      rebalanceTimeout: this.#options.rebalanceTimeoutMs ?? 2 * sessionTimeout,
      allowAutoTopicCreation: false,
    });
    const state: SubscriptionState = { group: options.group, state: 'joining', sinceMs: this.#clock.now() };
    // Resolved whenever a join attempt ends (joined, or crashed): see stop() below.
    let joinEnded: () => void = () => {};
    const joinAttempt = () => new Promise<void>((resolve) => (joinEnded = resolve));
    let attempt = joinAttempt();
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joinEnded();
      if (state.state === 'joined') return;
      const waitedMs = this.#clock.now() - state.sinceMs;
      Object.assign(state, { state: 'joined', sinceMs: this.#clock.now(), reason: undefined });
      logger.info({ waitedMs }, 'joined the consumer group');
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      joinEnded();
      attempt = joinAttempt();
      Object.assign(state, {
        state: payload.restart ? 'joining' : 'failed',
        sinceMs: this.#clock.now(),
        reason: `the consumer crashed: ${payload.error.message}`,
      });
    });
    const controller = new AbortController();
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics.map((t) => this.topic(t)), fromBeginning: true });
    const deadLetterTopic = this.topic(allTopics.deadLetter);
    // Not awaited: run() resolves only once the group lets this member join, which after a
    // crash takes the dead member's session timeout; subscriptionStates() says when.
    const running = consumer.run({
      // kafkajs commits only offsets of messages whose eachMessage resolved, so an event is
      // committed only after it was handled (durably) or dead-lettered.
      autoCommit: true,
      autoCommitInterval: 1_000,
      autoCommitThreshold: 100,
      partitionsConsumedConcurrently: this.#options.concurrency ?? 3,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        await deliver(
          {
            topic: topic.slice((this.#options.topicPrefix ?? '').length),
            partition,
            offset: message.offset,
            // Bytes as the broker holds them: a dead letter carries them unchanged.
            key: message.key,
            value: message.value ?? Buffer.alloc(0),
            headers: rawHeaders(message.headers),
          },
          {
            group: options.group,
            registry: this.#options.registry,
            handler: options.handler,
            retry: options.retry ?? defaultHandlerRetry,
            clock: this.#clock,
            logger,
            heartbeat,
            signal: controller.signal,
            metrics: this.#metrics,
            deadLetter: (letter: DeadLetter) =>
              this.#send([
                {
                  topic: deadLetterTopic,
                  messages: [{ key: letter.key, value: letter.value, headers: letter.headers as IHeaders }],
                },
              ]),
          },
        );
      },
    });
    running.catch((error: unknown) => {
      Object.assign(state, { state: 'failed', sinceMs: this.#clock.now(), reason: String(error) });
      logger.error({ err: error }, 'the consumer could not start');
    });
    const subscription: Subscription = {
      stop: async () => {
        controller.abort();
        // kafkajs ignores a stop while the member is joining and starts fetching once the
        // join ends, after it was stopped: let a join under way end first (it takes at most
        // the rebalance timeout; a crashed attempt ends at once).
        if (state.state === 'joining') {
          const bound = new AbortController();
          await Promise.race([
            attempt,
            sleep(this.#options.rebalanceTimeoutMs ?? 2 * sessionTimeout, bound.signal),
          ]);
          bound.abort();
        }
        // stop() waits for in-flight eachMessage calls, commits resolved offsets and leaves
        // the group (LeaveGroup), so the partitions move at once rather than after the session.
        await consumer.stop();
        await consumer.disconnect();
        this.#subscriptions.delete(subscription);
        this.#subscribedTopics.delete(subscription);
      },
    };
    this.#subscriptions.set(subscription, state);
    this.#subscribedTopics.set(subscription, { group: options.group, topics: options.topics });
    return subscription;
  }

  subscriptionStates(): readonly SubscriptionState[] {
    return [...this.#subscriptions.values()].map((s) => ({ ...s }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#subscriptions.keys()].map((s) => s.stop()));
    await this.#producer.disconnect().catch(() => {});
    await this.#admin.disconnect().catch(() => {});
  }
}

/** Header values as kafkajs hands them over (Buffers; strings only from a local producer). */
function rawHeaders(headers: IHeaders | undefined): Record<string, Buffer | Buffer[]> {
  const raw: Record<string, Buffer | Buffer[]> = {};
  const bytes = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    raw[name] = Array.isArray(value) ? value.map(bytes) : bytes(value as Buffer | string);
  }
  return raw;
}

/** Kafka's MESSAGE_TOO_LARGE (10) or RECORD_LIST_TOO_LARGE (18), wherever kafkajs wrapped it. */
function refusedForSize(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const e = error as { type?: unknown; cause?: unknown; errors?: unknown };
  if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => refusedForSize(inner, depth + 1))) return true;
  return refusedForSize(e.cause, depth + 1);
}
