import type { KeyState, PartyRegistration, PartyView, PdxEvent } from '@pdx/contracts';

/** Intake's own record of a party: what it accepted, its keys, and events not yet in the log. */
export interface PartyRecord {
  id: string;
  registration: PartyRegistration;
  contentHash: string;
  registeredAt: string;
  registeredBy: string;
  /** Every key with its lifecycle; the registration's keys first. */
  keys: KeyState[];
  /** Incremented by every change; changes are compare-and-set on it. */
  version: number;
  /** Events of the last change that the log has not acknowledged yet (a transactional outbox). */
  outbox: PdxEvent[];
  /** outbox.length > 0, as an indexable field for recovery. */
  pending: boolean;
}

export const partyCollection = {
  name: 'parties',
  indexes: [{ fields: ['pending'] }],
} as const;

/** Keys not revoked at `now`: the party's current JWKS. */
export function activeKeys(keys: readonly KeyState[], now: number): KeyState[] {
  return keys.filter((k) => k.revokedFrom === undefined || Date.parse(k.revokedFrom) > now);
}

export function toView(record: PartyRecord, now: number): PartyView {
  const r = record.registration;
  return {
    partyId: r.partyId,
    legalName: r.legalName,
    country: r.country,
    identifiers: r.identifiers ?? [],
    roles: r.roles,
    jwks: { keys: activeKeys(record.keys, now).map((k) => k.jwk) },
    keys: record.keys,
    registeredAt: record.registeredAt,
    contentHash: record.contentHash,
  };
}
