import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry } from '@pdx/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentStore } from './document-store.js';
import { openEmbeddedStore } from './embedded-store.js';
import { commitChange, flushOutboxes, type OutboxRecord } from './outbox.js';
import { watchOutboxes } from './outbox-metrics.js';

interface Thing extends OutboxRecord<{ id: string }> {
  name: string;
}

describe('pdx_outbox_pending_records', () => {
  let dir: string;
  let store: DocumentStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdx-outbox-metrics-'));
    store = openEmbeddedStore({ dir, database: 'things' });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts the records whose events the log has not acknowledged, per service and collection', async () => {
    const things = await store.collection<Thing>({ name: 'things', indexes: [{ fields: ['pending'] }] });
    const others = await store.collection<Thing>({ name: 'others', indexes: [{ fields: ['pending'] }] });
    const metrics = createMetricsRegistry();
    watchOutboxes(metrics, 'intake', { things });
    watchOutboxes(metrics, 'review', { others });
    const depth = async () =>
      (await metrics.getSingleMetric('pdx_outbox_pending_records')!.get()).values.map(
        (v) => `${v.labels.service}/${v.labels.collection} ${v.value}`,
      );
    expect(await depth()).toEqual(['intake/things 0', 'review/others 0']);

    let up = false;
    const bus = {
      publish: async () => {
        if (!up) throw Object.assign(new Error('the log is down'), { retriable: true });
      },
    };
    const deps = { bus, logger: { info: () => {} } };
    for (const name of ['a', 'b']) {
      await expect(
        commitChange(deps, things, undefined, { id: name, name }, [{ id: `e-${name}` }]),
      ).rejects.toThrow('did not acknowledge');
    }
    expect(await depth()).toEqual(['intake/things 2', 'review/others 0']);

    up = true;
    expect(await flushOutboxes(deps, things)).toBe(2);
    expect(await depth()).toEqual(['intake/things 0', 'review/others 0']);
  });
});
