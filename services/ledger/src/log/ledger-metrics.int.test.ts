import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, ManualClock } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';
import { describe, expect, it } from 'vitest';
import { type HeadDoc, headDocs } from './ledger-docs.js';
import { watchLedger } from './ledger-metrics.js';

describe('ledger metrics', () => {
  it('report the tree size and the age of the latest signed head', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdx-ledger-metrics-'));
    const store = openEmbeddedStore({ dir, database: 'ledger' });
    try {
      const heads = await store.collection<HeadDoc>(headDocs);
      const clock = new ManualClock('2027-03-01T00:00:00Z');
      const metrics = createMetricsRegistry();
      watchLedger(metrics, heads, clock);
      const read = async (name: string) =>
        (await metrics.getSingleMetric(name)!.get()).values.map((v) => v.value);
      expect(await read('pdx_ledger_tree_size')).toEqual([0]);
      expect(await read('pdx_ledger_head_age_seconds')).toEqual([0]);

      const head = (treeSize: number, at: number): HeadDoc => ({
        id: `${String(treeSize).padStart(16, '0')}-${String(at).padStart(15, '0')}`,
        treeSize,
        rootHash: 'x',
        timestamp: new Date(at).toISOString(),
        origin: 'pdx.local/exemption-ledger',
        jws: 'x',
        checkpoint: 'x',
      });
      await heads.insert(head(3, clock.now()));
      clock.advance(4_000);
      await heads.insert(head(7, clock.now()));
      clock.advance(2_500);
      expect(await read('pdx_ledger_tree_size')).toEqual([7]);
      expect(await read('pdx_ledger_head_age_seconds')).toEqual([2.5]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
