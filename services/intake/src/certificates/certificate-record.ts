import type { Certificate, CertificateView, PdxEvent } from '@pdx/contracts';
import { daysToExpiry, effectiveState } from '@pdx/schemes';
import type { OutboxRecord } from '@pdx/store';

export type CertificateAction = 'register' | 'renew' | 'suspend' | 'reinstate' | 'withdraw' | 'confirm';

/** Intake's record of a certificate: the snapshot every event carries, and what changed last. */
export interface CertificateRecord extends OutboxRecord<PdxEvent> {
  holder: string;
  certificate: Certificate;
  /** SHA-256 of the attestation payload or claim body last accepted: a repeat is idempotent. */
  contentHash: string;
  /**
   * When intake received the attestation in force (absent for claims, and on records made
   * before it was kept): a resubmission of it is checked against key compromises from then.
   */
  attestationReceivedAt?: string;
  /** The last change, so that a retried request is answered as before instead of 409. */
  lastChange: { action: CertificateAction; by: string; reason?: string };
}

export const certificateRecords = {
  name: 'certificates',
  indexes: [{ fields: ['pending'] }, { fields: ['holder'] }],
} as const;

export function toCertificateView(certificate: Certificate, now: number): CertificateView {
  const days = daysToExpiry(certificate, now);
  return {
    certificate,
    effectiveState: effectiveState(certificate, now),
    ...(days === undefined ? {} : { daysToExpiry: days }),
    asOf: new Date(now).toISOString(),
  };
}
