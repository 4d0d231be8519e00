import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';
import { describe, expect, it } from 'vitest';
import { type DeliveryDoc, type DeliveryState, deliveryDocs } from '../alert-records.js';
import { webhookMetrics } from './delivery-metrics.js';

describe('pdx_webhook_deliveries', () => {
  it('counts the stored deliveries in each state on every scrape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdx-delivery-metrics-'));
    const store = openEmbeddedStore({ dir, database: 'alerts' });
    try {
      const deliveries = await store.collection<DeliveryDoc>(deliveryDocs);
      const metrics = createMetricsRegistry();
      webhookMetrics(metrics, deliveries);
      const byState = async () =>
        Object.fromEntries(
          (await metrics.getSingleMetric('pdx_webhook_deliveries')!.get()).values.map((v) => [
            v.labels.state,
            v.value,
          ]),
        );
      expect(await byState()).toEqual({ pending: 0, delivered: 0, dead: 0, merged: 0 });
      const delivery = (id: string, state: DeliveryState): DeliveryDoc => ({
        id,
        buyerId: 'globex',
        subscriptionId: 's-1',
        url: 'https://hooks.example.com/pdx',
        alertIds: [id],
        digest: false,
        state,
        attempts: 0,
        nextAttemptMs: 0,
        createdAt: '2027-03-01T00:00:00Z',
        version: 1,
      });
      for (const [id, state] of [
        ['d-1', 'pending'],
        ['d-2', 'pending'],
        ['d-3', 'delivered'],
        ['d-4', 'dead'],
      ] as const)
        await deliveries.insert(delivery(id, state));
      expect(await byState()).toEqual({ pending: 2, delivered: 1, dead: 1, merged: 0 });
      await deliveries.put({ ...delivery('d-1', 'delivered'), version: 2 });
      expect(await byState()).toEqual({ pending: 1, delivered: 2, dead: 1, merged: 0 });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
