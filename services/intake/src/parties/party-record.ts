import type { PartyRegistration, PartyView } from '@pdx/contracts';

/** Intake's own record of a registration: what it accepted and whether the event is out. */
export interface PartyRecord {
  id: string;
  registration: PartyRegistration;
  contentHash: string;
  registeredAt: string;
  registeredBy: string;
  /** Deterministic, so a re-publication after a crash is a duplicate consumers drop. */
  eventId: string;
  /** False between the record being written and the event being acknowledged by the log. */
  published: boolean;
}

export const partyCollection = {
  name: 'parties',
  indexes: [{ fields: ['published'] }],
} as const;

export function toView(record: PartyRecord): PartyView {
  const r = record.registration;
  return {
    partyId: r.partyId,
    legalName: r.legalName,
    country: r.country,
    identifiers: r.identifiers ?? [],
    roles: r.roles,
    jwks: r.jwks,
    registeredAt: record.registeredAt,
    contentHash: record.contentHash,
  };
}
