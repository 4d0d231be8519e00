import type { PdxEvent } from '@pdx/contracts';
import type { OutboxRecord } from '@pdx/store';

/** Intake's record of a declaration: enough to decide idempotency, conflicts and supersession. */
export interface DeclarationRecord extends OutboxRecord<PdxEvent> {
  issuer: string;
  declarationId: string;
  /** The buyers it is addressed to (absent on records made before it was kept). */
  recipients?: string[];
  /** When the issuer signed it (absent on records made before it was kept). */
  issuedAt?: string;
  contentHash: string;
  submittedAt: string;
  eventId: string;
}

export const declarationRecords = {
  name: 'declarations',
  indexes: [{ fields: ['pending'] }, { fields: ['issuer'] }],
} as const;
