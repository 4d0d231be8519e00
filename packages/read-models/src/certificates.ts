import { attestationReceivedAt, type Certificate, type EventOnTopic } from '@pdx/contracts';
import { certificateAfter } from '@pdx/schemes';
import type { Collection, CollectionSpec, IndexSpec } from '@pdx/store';
import { readModelCollection } from './collection-spec.js';

/** A service's copy of a certificate, as its last event reported it. */
export interface CertificateDoc {
  /** The certificate id. */
  id: string;
  holder: string;
  certificate: Certificate;
  /** When intake received the issuer's current attestation (absent: a claim, or not known). */
  attestationReceivedAt?: string;
}

export type CertificateEvent = EventOnTopic<'pdx.certificates'>;

/** The collection of a service's certificate copy; every user looks certificates up by holder. */
export function certificateCollection(
  options: { name?: string; indexes?: readonly IndexSpec[] } = {},
): CollectionSpec {
  return readModelCollection(options.name ?? 'certificates', [{ fields: ['holder'] }], options.indexes);
}

/**
 * Pure: a certificate after one of its events, or undefined when the event changes nothing
 * (an older or repeated version, a lapse warning). A newer version replaces the one known;
 * the lapse scheduler's expiry (same version) marks it expired.
 *
 * Every certificate event carries the whole certificate, so one seen before the certificate's
 * registration is itself the record, kept and replaced by anything newer; only when intake
 * received its attestation stays unknown.
 */
export function evolveCertificate(
  current: CertificateDoc | undefined,
  event: CertificateEvent,
): CertificateDoc | undefined {
  if (event.type === 'org.pdx.certificate.expiring.v1') return undefined;
  const certificate = certificateAfter(
    current?.certificate,
    event.data.certificate,
    event.type === 'org.pdx.certificate.expired.v1',
  );
  if (!certificate) return undefined;
  const receivedAt = attestationReceivedAt(
    event,
    current && { jws: current.certificate.attestation?.jws, receivedAt: current.attestationReceivedAt },
  );
  return {
    id: certificate.certificateId,
    holder: certificate.holder,
    certificate,
    ...(receivedAt === undefined ? {} : { attestationReceivedAt: receivedAt }),
  };
}

/** Reads, evolves and writes one certificate event; idempotent. Run it under applyOnce. */
export async function applyCertificateEvent(
  certificates: Collection<CertificateDoc>,
  event: CertificateEvent,
): Promise<void> {
  if (event.type === 'org.pdx.certificate.expiring.v1') return;
  const next = evolveCertificate(await certificates.get(event.data.certificate.certificateId), event);
  if (next) await certificates.put(next);
}
