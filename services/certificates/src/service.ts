import type { Subscription } from '@pdx/bus';
import { topics } from '@pdx/contracts';
import { eventSource, type ServiceDefinition } from '@pdx/host';
import { histogram, isoNow } from '@pdx/runtime';
import { type AppliedEvent, appliedEvents, applyOnce, watchOutboxes } from '@pdx/store';
import { LapseScheduler } from './lapses/lapse-scheduler.js';
import { applyScheduleEvent } from './schedule/apply-event.js';
import {
  type LinkDoc,
  linkDocs,
  type MarkRecord,
  markRecords,
  type PolicyDoc,
  policyDocs,
  type ScheduleDoc,
  scheduleDocs,
} from './schedule/schedule-docs.js';

export const CERTIFICATES_GROUP = 'pdx-certificates';

/**
 * certificates: follows every certificate, the links that say which buyers care about it and
 * the buyers' alert thresholds, and runs the lapse scheduler (warnings before validUntil,
 * the expiry at validUntil). Runs as several replicas without double alerts.
 */
export const certificatesService: ServiceDefinition = {
  name: 'certificates',
  async create({ bus, store, registry, clock, wallClock, logger, config, metrics }) {
    const schedule = await store.collection<ScheduleDoc>(scheduleDocs);
    const links = await store.collection<LinkDoc>(linkDocs);
    const policies = await store.collection<PolicyDoc>(policyDocs);
    const marks = await store.collection<MarkRecord>(markRecords);
    const applied = await store.collection<AppliedEvent>(appliedEvents);
    const scheduleStore = { schedule, links, policies };
    const scheduler = new LapseScheduler({
      ...scheduleStore,
      marks,
      bus,
      registry,
      clock,
      wallClock,
      logger: logger.child({ component: 'lapse-scheduler' }),
      source: eventSource(config, 'certificates'),
      intervalMs: config.int('PDX_SCHEDULER_INTERVAL_MS', 60_000, { min: 50, max: 3_600_000 }),
      batchSize: config.int('PDX_SCHEDULER_BATCH', 500, { min: 1, max: 10_000 }),
      concurrency: config.int('PDX_SCHEDULER_CONCURRENCY', 16, { min: 1, max: 256 }),
      scanDuration: histogram(metrics, {
        name: 'pdx_lapse_scan_duration_seconds',
        help: 'How long a lapse scan (warnings and expiries of everything due) took, in seconds.',
        buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      }),
    });
    watchOutboxes(metrics, 'certificates', { marks });
    let subscription: Subscription | undefined;
    return {
      name: 'certificates',
      routes: async () => {},
      async start() {
        subscription = await bus.subscribe({
          group: CERTIFICATES_GROUP,
          topics: [topics.certificates, topics.relationships, topics.policies],
          handler: async (event) => {
            await applyOnce(applied, event, isoNow(clock), () => applyScheduleEvent(scheduleStore, event));
          },
        });
        scheduler.start();
      },
      async stop() {
        await scheduler.stop();
        await subscription?.stop();
      },
    };
  },
};
