import { assertNever, type KeyState, type PartyView, PdxError, type PdxEvent } from '@pdx/contracts';
import type { Collection } from '@pdx/store';

/** The status service's copy of a party, as built from events. */
export interface PartyDoc extends Omit<PartyView, 'jwks'> {
  id: string;
  /** Id of the last event applied to this party. */
  sourceEventId: string;
}

/** Event ids this service has applied; the unique id makes a second application visible. */
export interface AppliedEvent {
  id: string;
  type: string;
  subject: string;
  appliedAt: string;
}

export const partyDocs = { name: 'parties', indexes: [{ fields: ['country'] }] } as const;
export const appliedEvents = { name: 'applied_events', indexes: [{ fields: ['subject'] }] } as const;

function existing(state: PartyDoc | undefined, event: PdxEvent): PartyDoc {
  // Events of a party share its partition, so its registration always comes first; anything
  // else is a foreign or corrupted stream, dead-lettered by the bus.
  if (!state) throw new PdxError('PDX_PARTY_NOT_FOUND', `${event.type} for unknown party ${event.subject}`);
  return state;
}

/**
 * Pure and idempotent: the next state of a party after an event. Applying an event twice
 * gives the same state as applying it once (a redelivery after a crash changes nothing).
 */
export function evolve(state: PartyDoc | undefined, event: PdxEvent): PartyDoc {
  switch (event.type) {
    case 'org.pdx.party.registered.v1': {
      const { party, registeredAt, contentHash } = event.data;
      return {
        id: party.partyId,
        partyId: party.partyId,
        legalName: party.legalName,
        country: party.country,
        identifiers: party.identifiers ?? [],
        roles: party.roles,
        keys: party.jwks.keys.map((jwk) => ({ jwk, addedAt: registeredAt })),
        registeredAt,
        contentHash,
        sourceEventId: event.id,
      };
    }
    case 'org.pdx.party.key-added.v1': {
      const s = existing(state, event);
      const { key } = event.data;
      const keys = s.keys.some((k) => k.jwk.kid === key.jwk.kid) ? s.keys : [...s.keys, key];
      return { ...s, keys, sourceEventId: event.id };
    }
    case 'org.pdx.party.key-revoked.v1': {
      const s = existing(state, event);
      const { kid, revokedFrom, revokedAt, reason } = event.data;
      const keys = s.keys.map(
        (k): KeyState => (k.jwk.kid === kid ? { ...k, revokedFrom, revokedAt, revocationReason: reason } : k),
      );
      return { ...s, keys, sourceEventId: event.id };
    }
    default:
      return assertNever(event);
  }
}

/**
 * Applies an event at most once in effect. Without multi-document transactions (FerretDB
 * has none), the order is: skip if already applied; write the new state (idempotent, see
 * evolve); then record the event id. A crash between the last two only means the same
 * write is repeated on redelivery.
 */
export async function applyEvent(
  parties: Collection<PartyDoc>,
  applied: Collection<AppliedEvent>,
  event: PdxEvent,
  now: string,
): Promise<'applied' | 'duplicate'> {
  if (await applied.get(event.id)) return 'duplicate';
  const current = await parties.get(event.subject);
  await parties.put(evolve(current, event));
  const inserted = await applied.insert({
    id: event.id,
    type: event.type,
    subject: event.subject,
    appliedAt: now,
  });
  return inserted === 'inserted' ? 'applied' : 'duplicate';
}

export function toView(doc: PartyDoc, now: number): PartyView {
  const { id: _id, sourceEventId: _e, ...view } = doc;
  const active = doc.keys.filter((k) => k.revokedFrom === undefined || Date.parse(k.revokedFrom) > now);
  return { ...view, jwks: { keys: active.map((k) => k.jwk) } };
}
