import { type Counter, counter, type MetricsRegistry, sampledGauge } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { DeliveryDoc, DeliveryState } from '../alert-records.js';

const states: readonly DeliveryState[] = ['pending', 'delivered', 'dead', 'merged'];

/** What became of a webhook delivery attempt. */
export type AttemptOutcome = 'delivered' | 'failed' | 'dead';

/**
 * `pdx_webhook_deliveries{state}`: the deliveries the store holds in each state, counted on
 * scrape (pending is the backlog, dead needs a person), and a counter of attempts by outcome.
 */
export function webhookMetrics(
  registry: MetricsRegistry,
  deliveries: Collection<DeliveryDoc>,
): Counter<'outcome'> {
  sampledGauge(
    registry,
    {
      name: 'pdx_webhook_deliveries',
      help: 'Webhook deliveries by state: pending (to be attempted), delivered, dead (gave up), merged (into a digest).',
      labelNames: ['state'],
    },
    async (gauge) => {
      await Promise.all(states.map(async (state) => gauge.set({ state }, await deliveries.count({ state }))));
    },
  );
  return counter(registry, {
    name: 'pdx_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by outcome: delivered, failed (retried later), dead (no more attempts).',
    labelNames: ['outcome'],
  });
}
