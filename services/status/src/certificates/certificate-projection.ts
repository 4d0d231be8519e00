import type { Certificate, EventOnTopic } from '@pdx/contracts';
import type { Collection } from '@pdx/store';

export type CertificateEvent = EventOnTopic<'pdx.certificates'>;

/** A certificate as last reported by its events. */
export interface CertificateDoc {
  id: string;
  holder: string;
  schemeId: string;
  number: string;
  certificate: Certificate;
}

export const certificateDocs = {
  name: 'certificates',
  indexes: [{ fields: ['holder'] }, { fields: ['schemeId', 'number'] }],
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
  const current = doc?.certificate;
  if (current && incoming.version < current.version) return;
  if (current && incoming.version === current.version && event.type !== 'org.pdx.certificate.expired.v1')
    return;
  const certificate =
    current && incoming.version === current.version ? { ...current, state: 'expired' as const } : incoming;
  await docs.put({
    id: certificate.certificateId,
    holder: certificate.holder,
    schemeId: certificate.schemeId,
    number: certificate.number,
    certificate,
  });
}
