import { DEFAULT_ALERT_THRESHOLDS_DAYS } from '@pdx/schemes';
import type { Collection } from '@pdx/store';
import { earliestDue, type Follower, milestones } from '../lapses/lapse-plan.js';
import { type LinkDoc, NEVER, type PolicyDoc, type ScheduleDoc } from './schedule-docs.js';

export interface ScheduleStore {
  schedule: Collection<ScheduleDoc>;
  links: Collection<LinkDoc>;
  policies: Collection<PolicyDoc>;
}

/** The buyers with an accepted link to a holder, each with its thresholds. */
export async function followersOf(store: ScheduleStore, holder: string): Promise<Follower[]> {
  const links = await store.links.find({ partnerId: holder, state: 'accepted' });
  return Promise.all(
    links.map(async (link) => ({
      buyerId: link.buyerId,
      thresholdsDays:
        (await store.policies.get(link.buyerId))?.thresholdsDays ?? DEFAULT_ALERT_THRESHOLDS_DAYS,
    })),
  );
}

/**
 * Puts a certificate up for evaluation at its earliest milestone (past ones included: the
 * scan then publishes what is due and skips nothing twice, the marks see to that).
 */
export async function reschedule(store: ScheduleStore, id: string): Promise<void> {
  for (;;) {
    const doc = await store.schedule.get(id);
    if (!doc) return;
    const next = earliestDue(milestones(doc.certificate, await followersOf(store, doc.holder)));
    const updated = {
      ...doc,
      scheduled: next !== undefined,
      nextDueMs: next ?? NEVER,
      version: doc.version + 1,
    };
    if (await store.schedule.replaceIf(updated, { version: doc.version })) return;
  }
}
