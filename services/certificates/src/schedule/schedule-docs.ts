import type { PdxEvent } from '@pdx/contracts';
import { type CertificateDoc, certificateCollection, linkCollection } from '@pdx/read-models';
import type { OutboxRecord } from '@pdx/store';

export type { LinkDoc } from '@pdx/read-models';

/** A certificate (see @pdx/read-models) as the scheduler follows it, with when it must be looked at next. */
export interface ScheduleDoc extends CertificateDoc {
  /** False when nothing is left to schedule (open-ended, suspended, withdrawn, expired). */
  scheduled: boolean;
  /** When the next milestone falls due (ms since the epoch); may be past: evaluate now. */
  nextDueMs: number;
  /** Incremented by every write; writes are compare-and-set on it. */
  version: number;
}

/** The alert thresholds of a buyer's recognition policy in force. */
export interface PolicyDoc {
  id: string;
  version: number;
  thresholdsDays: number[];
}

/**
 * A milestone done: its id is the idempotency key (certificate, validity, buyer, threshold),
 * inserted once whichever replica gets there first, with its event in an outbox until the
 * log has it.
 */
export interface MarkRecord extends OutboxRecord<PdxEvent> {
  certificateId: string;
  outcome: 'emitted' | 'skipped';
  at: string;
  /** Wall-clock time of the insert: a pending mark younger than the grace is its writer's to publish. */
  stagedAtMs: number;
}

export const scheduleDocs = certificateCollection({
  name: 'lapse_schedule',
  indexes: [{ fields: ['scheduled', 'nextDueMs'] }],
});
/** The links: who follows whose certificates (by partner), and whose thresholds apply (by buyer). */
export const linkDocs = linkCollection({ indexes: [{ fields: ['buyerId', 'state'] }] });
export const policyDocs = { name: 'alert_policies', indexes: [] } as const;
export const markRecords = {
  name: 'lapse_marks',
  indexes: [{ fields: ['certificateId'] }, { fields: ['pending'] }],
} as const;

/** Far in the future: where an unscheduled certificate sorts. */
export const NEVER = Number.MAX_SAFE_INTEGER;
