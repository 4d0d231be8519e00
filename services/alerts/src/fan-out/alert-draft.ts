import type { Certificate, PdxEvent } from '@pdx/contracts';
import type { AlertKind } from '../alert-records.js';

/** What an event says to the buyers concerned, before it is addressed to each. */
export interface AlertDraft {
  kind: AlertKind;
  certificate: Certificate;
  occurredAt: string;
  /** A warning is for the buyer whose threshold it is; everything else for every linked buyer. */
  onlyBuyer?: string;
  thresholdDays?: number;
  daysToExpiry?: number;
  reason?: string;
}

/** Pure: the alert an event makes, if any. Registrations and confirmations make none. */
export function draftFor(event: PdxEvent): AlertDraft | undefined {
  switch (event.type) {
    case 'org.pdx.certificate.expiring.v1':
      return {
        kind: 'expiring',
        certificate: event.data.certificate,
        occurredAt: event.time,
        onlyBuyer: event.data.buyerId,
        thresholdDays: event.data.thresholdDays,
        daysToExpiry: event.data.daysToExpiry,
      };
    case 'org.pdx.certificate.expired.v1':
      return { kind: 'expired', certificate: event.data.certificate, occurredAt: event.data.changedAt };
    case 'org.pdx.certificate.suspended.v1':
    case 'org.pdx.certificate.reinstated.v1':
    case 'org.pdx.certificate.withdrawn.v1':
      return {
        kind:
          event.type === 'org.pdx.certificate.suspended.v1'
            ? 'suspended'
            : event.type === 'org.pdx.certificate.reinstated.v1'
              ? 'reinstated'
              : 'withdrawn',
        certificate: event.data.certificate,
        occurredAt: event.data.changedAt,
        reason: event.data.reason,
      };
    case 'org.pdx.certificate.renewed.v1':
      return { kind: 'renewed', certificate: event.data.certificate, occurredAt: event.data.changedAt };
    default:
      return undefined;
  }
}

/** Pure: one line a person reads first. */
export function summaryOf(draft: AlertDraft): string {
  const c = draft.certificate;
  const what = `${c.schemeId} ${c.number} of ${c.holder}`;
  switch (draft.kind) {
    case 'expiring':
      return `${what} expires in ${draft.daysToExpiry} days (${c.validUntil})`;
    case 'expired':
      return `${what} expired at ${c.validUntil}`;
    case 'suspended':
      return `${what} was suspended by its issuer: ${draft.reason}`;
    case 'reinstated':
      return `${what} was reinstated: ${draft.reason}`;
    case 'withdrawn':
      return `${what} was withdrawn: ${draft.reason}`;
    case 'renewed':
      return `${what} was renewed${c.validUntil ? ` until ${c.validUntil}` : ''}`;
  }
}
