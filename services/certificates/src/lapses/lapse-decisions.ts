import {
  type Certificate,
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  type PdxEvent,
} from '@pdx/contracts';
import type { Decision } from '@pdx/store';
import type { MarkRecord } from '../schedule/schedule-docs.js';
import type { Milestone } from './lapse-plan.js';

const DAY_MS = 86_400_000;

/**
 * The event of a milestone published: `certificate.expired.v1` at validUntil, or
 * `certificate.expiring.v1` at a buyer's threshold, with the whole days left at the time of
 * the decision. Its id is the milestone's idempotency key, so every replica names it alike.
 */
export function lapseEvent(certificate: Certificate, m: Milestone, context: DecisionContext): PdxEvent {
  const base = { id: deterministicEventId('lapse', m.key), subject: certificate.holder };
  if (m.kind === 'expired') {
    return decidedEvent(context, {
      ...base,
      type: 'org.pdx.certificate.expired.v1',
      data: {
        certificate: { ...certificate, state: 'expired' },
        changedAt: new Date(m.dueMs).toISOString(),
        changedBy: context.source,
      },
    });
  }
  const until = Date.parse(certificate.validUntil!);
  return decidedEvent(context, {
    ...base,
    type: 'org.pdx.certificate.expiring.v1',
    data: {
      certificate,
      buyerId: m.buyerId,
      thresholdDays: m.thresholdDays,
      dueAt: new Date(m.dueMs).toISOString(),
      daysToExpiry: Math.floor((until - context.now) / DAY_MS),
    },
  });
}

/** A milestone of a certificate as the scan found it: to publish, or to mark done silently. */
export interface MarkInput {
  certificate: Certificate;
  milestone: Milestone;
  outcome: MarkRecord['outcome'];
  /** When it is marked (the domain clock) and staged (the wall clock: the writer's grace). */
  at: string;
  stagedAtMs: number;
}

/**
 * Marks one milestone done, once: its mark (id = its idempotency key) with the milestone's
 * event for one to publish, none for one passed while nobody could warn. A mark already
 * there — another replica got to it first — is left as it is: that replica publishes it.
 */
export function decideMark(
  current: MarkRecord | undefined,
  input: MarkInput,
  context: DecisionContext,
): Decision<MarkRecord, PdxEvent> {
  if (current) return { kind: 'unchanged' };
  const { certificate, milestone, outcome, at, stagedAtMs } = input;
  const next = { id: milestone.key, certificateId: certificate.certificateId, outcome, at, stagedAtMs };
  const events = outcome === 'emitted' ? [lapseEvent(certificate, milestone, context)] : [];
  return { kind: 'change', next, events };
}
