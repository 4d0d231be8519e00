import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry, topics } from '@pdx/contracts';
import { createMetricsRegistry, type MetricsRegistry, silentLogger } from '@pdx/runtime';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { EmbeddedEventBus } from './embedded-bus.js';
import type { EventBus } from './event-bus.js';
import { KafkaEventBus } from './kafka-bus.js';
import { eventually, samplePartyRegistered } from './testing.js';

const registry = new SchemaRegistry();

interface Opened {
  bus: EventBus;
  injectRaw(topic: string, key: string, value: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** The value of one series of a metric, as a scrape would collect it (0 when absent). */
async function seriesValue(metrics: MetricsRegistry, name: string, labels: Record<string, string>) {
  const metric = metrics.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return found?.value ?? 0;
}

function busMetricsSuite(name: string, open: (metrics: MetricsRegistry) => Promise<Opened>) {
  describe(`event log metrics: ${name}`, () => {
    const opened: Opened[] = [];
    afterEach(async () => {
      for (const o of opened.splice(0)) await o.cleanup();
    });

    it('counts events published, consumed and dead-lettered, and the lag of a group', async () => {
      const metrics = createMetricsRegistry();
      const o = await open(metrics);
      opened.push(o);
      const group = `metrics-${randomUUID().slice(0, 8)}`;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      const subscription = await o.bus.subscribe({
        group,
        topics: [topics.parties],
        handler: async (event) => {
          await gate;
          handled.push(event.id);
        },
      });
      try {
        const series = { group, topic: topics.parties };
        await o.bus.publish([1, 2, 3].map((n) => samplePartyRegistered(registry, `m-${n}`, n)));
        expect(await seriesValue(metrics, 'pdx_events_published_total', { topic: topics.parties })).toBe(3);

        // The handler holds the first event: nothing is committed, all three are behind.
        await eventually(async () =>
          expect(await seriesValue(metrics, 'pdx_consumer_lag_messages', series)).toBe(3),
        );
        expect(await seriesValue(metrics, 'pdx_events_consumed_total', series)).toBe(0);

        release();
        await eventually(() => expect(handled).toHaveLength(3));
        expect(await seriesValue(metrics, 'pdx_events_consumed_total', series)).toBe(3);
        await eventually(async () =>
          expect(await seriesValue(metrics, 'pdx_consumer_lag_messages', series)).toBe(0),
        );

        await o.injectRaw(topics.parties, 'm-9', 'not json');
        await eventually(async () =>
          expect(
            await seriesValue(metrics, 'pdx_events_dead_lettered_total', {
              ...series,
              reason: 'PDX_EVENT_ENVELOPE_INVALID',
            }),
          ).toBe(1),
        );
        expect(await seriesValue(metrics, 'pdx_events_consumed_total', series)).toBe(3);
        // The poison message is committed once dead-lettered, so nothing is behind.
        await eventually(async () =>
          expect(await seriesValue(metrics, 'pdx_consumer_lag_messages', series)).toBe(0),
        );
      } finally {
        release();
        await subscription.stop();
      }
    });

    it('drops a stopped subscription from the lag', async () => {
      const metrics = createMetricsRegistry();
      const o = await open(metrics);
      opened.push(o);
      const group = `metrics-${randomUUID().slice(0, 8)}`;
      const subscription = await o.bus.subscribe({
        group,
        topics: [topics.parties],
        handler: async () => {},
      });
      await eventually(async () =>
        expect((await metrics.getSingleMetric('pdx_consumer_lag_messages')!.get()).values).toHaveLength(1),
      );
      await subscription.stop();
      expect((await metrics.getSingleMetric('pdx_consumer_lag_messages')!.get()).values).toEqual([]);
    });
  });
}

busMetricsSuite('embedded (SQLite)', async (metrics) => {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bus-metrics-'));
  const bus = new EmbeddedEventBus({
    dataDir: dir,
    registry,
    logger: silentLogger(),
    pollIntervalMs: 50,
    metrics,
    lagSampleIntervalMs: 0,
  });
  await bus.start();
  return {
    bus,
    injectRaw: async (topic, key, value) => bus.appendRaw(topic, key, value),
    cleanup: async () => {
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

busMetricsSuite('Kafka', async (metrics) => {
  const bus = new KafkaEventBus({
    brokers: inject('kafkaBrokers').split(','),
    clientId: 'pdx-bus-metrics-test',
    registry,
    logger: silentLogger(),
    topicPrefix: `metrics${randomUUID().slice(0, 8)}.`,
    partitions: 3,
    sessionTimeoutMs: 10_000,
    metrics,
    lagSampleIntervalMs: 0,
  });
  await bus.start();
  return {
    bus,
    injectRaw: (topic, key, value) => bus.produceRaw(topic, key, value),
    cleanup: () => bus.close(),
  };
});
