import { type Clock, type MetricsRegistry, sampledGauge } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { HeadDoc } from './ledger-docs.js';

/**
 * `pdx_ledger_tree_size` and `pdx_ledger_head_age_seconds`, from the latest signed tree head,
 * read on scrape (an indexed read). A head age growing past PDX_LEDGER_HEAD_INTERVAL_MS
 * says no replica is sequencing: witnesses and monitors see a stale log.
 */
export function watchLedger(registry: MetricsRegistry, heads: Collection<HeadDoc>, clock: Clock): void {
  // Each gauge reads for itself: a scrape collects all metrics at once, in no set order.
  const latest = async () => (await heads.find({}, { sort: { field: 'id', order: -1 }, limit: 1 }))[0];
  sampledGauge(
    registry,
    { name: 'pdx_ledger_tree_size', help: 'Entries in the latest signed tree head of the exemption ledger.' },
    async (gauge) => gauge.set((await latest())?.treeSize ?? 0),
  );
  sampledGauge(
    registry,
    {
      name: 'pdx_ledger_head_age_seconds',
      help: 'Seconds since the latest signed tree head of the exemption ledger was issued (0 before the first).',
    },
    async (gauge) => {
      const head = await latest();
      gauge.set(head === undefined ? 0 : Math.max(0, (clock.now() - Date.parse(head.timestamp)) / 1000));
    },
  );
}
