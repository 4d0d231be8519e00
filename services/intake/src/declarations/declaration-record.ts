import type { PdxEvent } from '@pdx/contracts';
import type { OutboxRecord } from '@pdx/store';

/** Intake's record of a declaration: enough to decide idempotency, conflicts and supersession. */
export interface DeclarationRecord extends OutboxRecord<PdxEvent> {
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
