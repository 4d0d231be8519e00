import type { EventOnTopic, PdxEvent } from './event-catalog.js';

/**
 * Every event type on the certificates topic, in the order of a certificate's life. The one
 * list each service switches on or subscribes by; a compile-time check below keeps it equal
 * to the types the event catalog places on `pdx.certificates`.
 */
export const certificateEventTypes = [
  'org.pdx.certificate.registered.v1',
  'org.pdx.certificate.renewed.v1',
  'org.pdx.certificate.suspended.v1',
  'org.pdx.certificate.reinstated.v1',
  'org.pdx.certificate.withdrawn.v1',
  'org.pdx.certificate.claim-confirmed.v1',
  'org.pdx.certificate.expiring.v1',
  'org.pdx.certificate.expired.v1',
] as const;

export type CertificateEventType = (typeof certificateEventTypes)[number];
/** One of them, discriminated on `type` (a switch over it narrows `data`). */
export type CertificateEvent = Extract<PdxEvent, { type: CertificateEventType }>;

/**
 * The certificate events that change the certificate's record (each carries it as it now is):
 * all but `expiring`, a reminder to one buyer that changes nothing. A copy of certificates is
 * kept from these.
 */
export type CertificateChangeType = Exclude<CertificateEventType, 'org.pdx.certificate.expiring.v1'>;
export const certificateChangeTypes: readonly CertificateChangeType[] = certificateEventTypes.filter(
  (type): type is CertificateChangeType => type !== 'org.pdx.certificate.expiring.v1',
);
export type CertificateChange = Extract<PdxEvent, { type: CertificateChangeType }>;

const eventTypes: ReadonlySet<string> = new Set(certificateEventTypes);
const changeTypes: ReadonlySet<string> = new Set(certificateChangeTypes);

/** An event of the certificates topic. */
export function isCertificateEvent(event: PdxEvent): event is CertificateEvent {
  return eventTypes.has(event.type);
}

/** A certificate event that changes the certificate's record (every one but `expiring`). */
export function isCertificateChange(event: PdxEvent): event is CertificateChange {
  return changeTypes.has(event.type);
}

// Compile-time: the list is exactly the catalog's certificates topic, no type missing or extra.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listIsTheTopic: Same<CertificateEventType, EventOnTopic<'pdx.certificates'>['type']> = true;
void listIsTheTopic;
