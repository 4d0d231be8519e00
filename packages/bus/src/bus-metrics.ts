import { type Counter, counter, type MetricsRegistry, sampledGauge } from '@pdx/runtime';

/** A consumer group's distance from the end of one topic, in messages (summed over partitions). */
export interface ConsumerLag {
  group: string;
  topic: string;
  messages: number;
}

type Child = ReturnType<Counter<string>['labels']>;

/**
 * The event log's counters, shared by both adapters. Label sets are resolved once and kept,
 * so counting an event on the hot path is an increment, nothing more. Without a registry
 * every method does nothing.
 */
export class BusMetrics {
  readonly #published: Counter<'topic'> | undefined;
  readonly #consumed: Counter<'group' | 'topic'> | undefined;
  readonly #deadLettered: Counter<'group' | 'topic' | 'reason'> | undefined;
  readonly #children = new Map<string, Child>();

  constructor(registry: MetricsRegistry | undefined) {
    if (!registry) return;
    this.#published = counter(registry, {
      name: 'pdx_events_published_total',
      help: 'Events the event log acknowledged, by topic.',
      labelNames: ['topic'],
    });
    this.#consumed = counter(registry, {
      name: 'pdx_events_consumed_total',
      help: 'Events a consumer group handled (its handler resolved), by group and topic.',
      labelNames: ['group', 'topic'],
    });
    this.#deadLettered = counter(registry, {
      name: 'pdx_events_dead_lettered_total',
      help: 'Messages a consumer group sent to the dead-letter topic, by group, source topic and reason (an error code).',
      labelNames: ['group', 'topic', 'reason'],
    });
  }

  published(topic: string, count: number): void {
    if (this.#published) this.#child('p', this.#published, topic).inc(count);
  }

  consumed(group: string, topic: string): void {
    if (this.#consumed) this.#child('c', this.#consumed, group, topic).inc();
  }

  deadLettered(group: string, topic: string, reason: string): void {
    if (this.#deadLettered) this.#child('d', this.#deadLettered, group, topic, reason).inc();
  }

  #child(kind: string, metric: Counter<string>, ...values: string[]): Child {
    const key = `${kind}\u0000${values.join('\u0000')}`;
    let child = this.#children.get(key);
    if (!child) {
      child = metric.labels(...values);
      this.#children.set(key, child);
    }
    return child;
  }
}

/**
 * Registers `pdx_consumer_lag_messages`, sampled on scrape by `sample` (at most once per
 * `minIntervalMs`: a scrape every second does not turn into admin requests every second;
 * in between the last sample is served). Groups and topics no longer sampled are removed.
 */
export function registerConsumerLag(
  registry: MetricsRegistry | undefined,
  sample: () => Promise<readonly ConsumerLag[]>,
  minIntervalMs: number,
): void {
  if (!registry) return;
  let last: { at: number; lags: readonly ConsumerLag[] } | undefined;
  sampledGauge(
    registry,
    {
      name: 'pdx_consumer_lag_messages',
      help: 'Messages on a topic that a consumer group has not committed yet (end of the log minus the committed offset, summed over partitions).',
      labelNames: ['group', 'topic'],
    },
    async (gauge) => {
      if (last && performance.now() - last.at < minIntervalMs) return;
      const lags = await sample();
      last = { at: performance.now(), lags };
      gauge.reset();
      for (const l of lags) gauge.set({ group: l.group, topic: l.topic }, l.messages);
    },
  );
}
