import { attestationReceivedAt, type Certificate, type EventOnTopic } from '@pdx/contracts';
import { certificateAfter } from '@pdx/schemes';
import type { Collection } from '@pdx/store';

export type CertificateEvent = EventOnTopic<'pdx.certificates'>;

/** A certificate as last reported by its events. */
export interface CertificateDoc {
  id: string;
  holder: string;
  schemeId: string;
  number: string;
  certificate: Certificate;
  /** When intake received the issuer's current attestation (absent: a claim, or not known). */
  attestationReceivedAt?: string;
}

export const certificateDocs = {
  name: 'certificates',
  indexes: [{ fields: ['holder'] }, { fields: ['schemeId', 'number'] }, { fields: ['certificate.issuer'] }],
} as const;

/**
 * Applies a certificate event, idempotently: a newer version replaces the older; an expiry
 * (same version, published by the scheduler) marks it expired; a warning changes nothing.
 */
export async function applyCertificateEvent(
  docs: Collection<CertificateDoc>,
  event: CertificateEvent,
): Promise<void> {
  if (event.type === 'org.pdx.certificate.expiring.v1') return;
  const incoming = event.data.certificate;
  const doc = await docs.get(incoming.certificateId);
  const certificate = certificateAfter(
    doc?.certificate,
    incoming,
    event.type === 'org.pdx.certificate.expired.v1',
  );
  if (!certificate) return;
  const receivedAt = attestationReceivedAt(
    event,
    doc && { jws: doc.certificate.attestation?.jws, receivedAt: doc.attestationReceivedAt },
  );
  await docs.put({
    id: certificate.certificateId,
    holder: certificate.holder,
    schemeId: certificate.schemeId,
    number: certificate.number,
    certificate,
    ...(receivedAt === undefined ? {} : { attestationReceivedAt: receivedAt }),
  });
}
