import { type MetricsRegistry, sampledGauge } from '@pdx/runtime';
import type { Collection } from './document-store.js';
import type { OutboxRecord } from './outbox.js';

/**
 * Reports the outbox depth of a service's collections as `pdx_outbox_pending_records`: how
 * many records hold events the log has not acknowledged yet, counted on scrape over the
 * indexed `pending` field. Normally 0; it grows while the log is unavailable and falls as
 * the flusher publishes.
 */
export function watchOutboxes(
  registry: MetricsRegistry,
  service: string,
  collections: Readonly<Record<string, Collection<OutboxRecord<unknown>>>>,
): void {
  sampledGauge(
    registry,
    {
      name: 'pdx_outbox_pending_records',
      help: 'Records whose outbox holds events the event log has not acknowledged yet, by service and collection.',
      labelNames: ['service', 'collection'],
    },
    async (gauge) => {
      await Promise.all(
        Object.entries(collections).map(async ([collection, c]) =>
          gauge.set({ service, collection }, await c.count({ pending: true })),
        ),
      );
    },
  );
}
