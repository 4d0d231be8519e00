import type { PdxEvent, Topic } from '@pdx/contracts';
import type { RetryPolicy } from '@pdx/runtime';

/** Where a delivered event sits in the log. */
export interface DeliveryMeta {
  topic: string;
  partition: number;
  /** Position in the partition, as a decimal string (Kafka offsets exceed 2^53). */
  offset: string;
  key: string;
  headers: Readonly<Record<string, string>>;
  /** 1 on first delivery to the handler in this process, then 2, 3… on retries. */
  attempt: number;
}

/**
 * Handles one event. Resolving means its effect is durable: only then is the offset
 * committed. Throwing a PdxError not marked retriable (a coded refusal) or a TypeError (a
 * bug) sends the event to the dead-letter topic at once; a retriable one (the database or
 * the log is unavailable) holds it, tried again until it succeeds or the consumer stops; any
 * other error is retried with backoff, then dead-lettered.
 * Handlers must be idempotent on `event.id`: delivery is at least once.
 */
export type EventHandler = (event: PdxEvent, meta: DeliveryMeta) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group: members of one group share the partitions; each group sees every event. */
  group: string;
  topics: readonly Topic[];
  handler: EventHandler;
  /** Retries of a failing handler before the event is dead-lettered. */
  retry?: RetryPolicy;
}

/** A running consumer-group membership. */
export interface Subscription {
  /** Stops fetching, lets the in-flight event finish, commits its offset, leaves the group. */
  stop(): Promise<void>;
}

/** Where a subscription stands with its consumer group, for readiness probes. */
export interface SubscriptionState {
  group: string;
  /**
   * `joining` until the group has assigned this member its partitions (at first, and again
   * after the consumer crashed and restarts); `joined` once it consumes (a later rebalance
   * does not count: it keeps its place); `failed` when it stopped for good (restart the
   * process).
   */
  state: 'joining' | 'joined' | 'failed';
  /** Since when, in ms on the bus's clock. */
  sinceMs: number;
  /** What put it there, for `joining` after a crash and for `failed`. */
  reason?: string;
}

/** Publishing side of the event log. */
export interface EventPublisher {
  /**
   * Appends the events to their catalogued topics, keyed by `subject` (the party id) so all
   * events of a party stay in order. Resolves only once the log has durably acknowledged
   * every event (Kafka: acks=all from an idempotent producer; embedded: a synchronous
   * SQLite commit). Rejects with BusError PDX_EVENT_LOG_UNAVAILABLE otherwise; some events
   * may then have been written, so callers republish with the same event ids.
   */
  publish(events: readonly PdxEvent[]): Promise<void>;
}

/** Consuming side of the event log. */
export interface EventSubscriber {
  /**
   * Joins `group` and delivers every event of `topics`, from the group's committed offset
   * (from the beginning for a new group), at least once and in log order per key.
   * Messages that are not valid pdx events (bad JSON, envelope, type or data) go straight
   * to the dead-letter topic with the reason; a handler that keeps failing sends its event
   * there after the retries. Either way consumption continues with the next event.
   */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * The state of every running subscription. subscribe() resolves once the subscription
   * exists, which on Kafka is before its group has let it join: a member restarted after a
   * crash waits for the dead one's session to time out first.
   */
  subscriptionStates(): readonly SubscriptionState[];
}

/** The event log as a service uses it. */
export interface EventBus extends EventPublisher, EventSubscriber {
  /** Connects and creates missing topics. Idempotent. */
  start(): Promise<void>;
  /** Cheap round trip to the log, for readiness; throws BusError when unreachable. */
  ping(): Promise<void>;
  /** Stops every subscription (see Subscription.stop), then disconnects. */
  close(): Promise<void>;
}

/** Header values as the log holds them: bytes, one or several per name. */
export type RawHeaders = Readonly<Record<string, Buffer | readonly Buffer[]>>;

/**
 * A dead letter as an adapter writes it to the dead-letter topic: the original message byte
 * for byte (key, value, headers) plus the pdx-dlq-* headers describing the failure. When the
 * whole message cannot travel (the log's size limit), `value` is its first bytes only and
 * the headers say so (pdx-dlq-truncated) and carry the original's size and SHA-256.
 */
export interface DeadLetter {
  /** The original key, or null when the message had none. */
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string | Buffer | readonly Buffer[]>;
}

/** Header names added to a dead-lettered message. */
export const deadLetterHeaders = {
  reason: 'pdx-dlq-reason',
  error: 'pdx-dlq-error',
  group: 'pdx-dlq-group',
  topic: 'pdx-dlq-topic',
  partition: 'pdx-dlq-partition',
  offset: 'pdx-dlq-offset',
  attempts: 'pdx-dlq-attempts',
  time: 'pdx-dlq-time',
  /** Size in bytes of the original value (also when the dead letter carries all of it). */
  valueBytes: 'pdx-dlq-value-bytes',
  /** SHA-256 of the original value, lowercase hex, as `sha256sum` prints it. */
  valueSha256: 'pdx-dlq-value-sha256',
  /** `true` when the value is only a prefix of the original; absent otherwise. */
  truncated: 'pdx-dlq-truncated',
  /** How many original headers were left out to make the dead letter fit; absent when none. */
  headersDropped: 'pdx-dlq-headers-dropped',
} as const;

/** Content type of a structured-mode CloudEvent message (CloudEvents Kafka binding §3.2). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';
