import type { PdxEvent } from '@pdx/contracts';
import { currentJwks, type KeyState, type PartyRegistration, type PartyView } from '@pdx/contracts';
import type { OutboxRecord } from '@pdx/store';

/** Intake's own record of a party: what it accepted, its keys, and events not yet in the log. */
export interface PartyRecord extends OutboxRecord<PdxEvent> {
  registration: PartyRegistration;
  contentHash: string;
  registeredAt: string;
  registeredBy: string;
  /** Every key with its lifecycle; the registration's keys first. */
  keys: KeyState[];
}

export const partyRecords = {
  name: 'parties',
  indexes: [{ fields: ['pending'] }],
} as const;

export function toView(record: PartyRecord, now: number): PartyView {
  const r = record.registration;
  return {
    partyId: r.partyId,
    legalName: r.legalName,
    country: r.country,
    identifiers: r.identifiers ?? [],
    roles: r.roles,
    ...(r.issuerOf ? { issuerOf: r.issuerOf } : {}),
    jwks: currentJwks(record.keys, now),
    keys: record.keys,
    registeredAt: record.registeredAt,
    contentHash: record.contentHash,
  };
}
