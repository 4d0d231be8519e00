import type { CertificateChange } from '@pdx/contracts';
import { evolveCertificate } from '@pdx/read-models';
import type { RecordDecision } from '@pdx/store';
import { earliestDue, type Follower, milestones } from '../lapses/lapse-plan.js';
import { NEVER, type ScheduleDoc } from './schedule-docs.js';

/**
 * Pure: a schedule entry put up for evaluation at its earliest milestone for these followers
 * (past ones included: the scan then publishes what is due and skips nothing twice, the marks
 * see to that); no entry, nothing to schedule.
 */
export function decideSchedule(
  doc: ScheduleDoc | undefined,
  followers: readonly Follower[],
): RecordDecision<ScheduleDoc, ScheduleDoc | undefined> {
  if (!doc) return { kind: 'unchanged', record: undefined };
  const next = earliestDue(milestones(doc.certificate, followers));
  return {
    kind: 'change',
    next: { ...doc, scheduled: next !== undefined, nextDueMs: next ?? NEVER, version: doc.version + 1 },
  };
}

/**
 * Pure: the schedule entry after a certificate event (the certificate as it now is, see
 * evolveCertificate), keeping when it is due; a new one is not due until rescheduled. An event
 * that changes nothing answers no record: there is nothing to reschedule.
 */
export function decideCertificate(
  doc: ScheduleDoc | undefined,
  event: CertificateChange,
): RecordDecision<ScheduleDoc, ScheduleDoc | undefined> {
  const next = evolveCertificate(doc, event);
  if (!next) return { kind: 'unchanged', record: undefined };
  return {
    kind: 'change',
    next: doc
      ? { ...next, scheduled: doc.scheduled, nextDueMs: doc.nextDueMs, version: doc.version + 1 }
      : { ...next, scheduled: false, nextDueMs: NEVER, version: 1 },
  };
}
