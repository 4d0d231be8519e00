import type { OutboxRecord } from '../shared/outbox.js';

/** Intake's record of a declaration: enough to decide idempotency, conflicts and supersession. */
export interface DeclarationRecord extends OutboxRecord {
  issuer: string;
  declarationId: string;
  contentHash: string;
  submittedAt: string;
  eventId: string;
}

export const declarationCollection = {
  name: 'declarations',
  indexes: [{ fields: ['pending'] }, { fields: ['issuer'] }],
} as const;
