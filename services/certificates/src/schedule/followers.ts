import { DEFAULT_ALERT_THRESHOLDS_DAYS } from '@pdx/schemes';
import { type Collection, changeRecord } from '@pdx/store';
import type { Follower } from '../lapses/lapse-plan.js';
import { decideSchedule } from './schedule-decisions.js';
import type { LinkDoc, PolicyDoc, ScheduleDoc } from './schedule-docs.js';

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

/** Puts a certificate up for evaluation at its earliest milestone (see decideSchedule). */
export async function reschedule(store: ScheduleStore, id: string): Promise<void> {
  await changeRecord(store.schedule, id, decideSchedule, {
    expected: (doc) => ({ version: doc.version }),
    load: async (doc) => (doc ? await followersOf(store, doc.holder) : []),
  });
}
