import {
  assertNever,
  currentJwks,
  type EventOnTopic,
  keysAfter,
  keysAtRegistration,
  type PartyView,
  PdxError,
} from '@pdx/contracts';
import type { Collection } from '@pdx/store';

/** The directory service's copy of a party, as built from events. */
export interface PartyDoc extends Omit<PartyView, 'jwks'> {
  id: string;
  /** Id of the last event applied to this party. */
  sourceEventId: string;
}

export const partyDocs = { name: 'parties', indexes: [{ fields: ['country'] }] } as const;

export type PartyEvent = EventOnTopic<'pdx.parties'>;

function existing(state: PartyDoc | undefined, event: PartyEvent): PartyDoc {
  // Events of a party share its partition, so its registration always comes first; anything
  // else is a foreign or corrupted stream, dead-lettered by the bus.
  if (!state) throw new PdxError('PDX_PARTY_NOT_FOUND', `${event.type} for unknown party ${event.subject}`);
  return state;
}

/**
 * Pure and idempotent: the next state of a party after an event. Applying an event twice
 * gives the same state as applying it once (a redelivery after a crash changes nothing).
 */
export function evolve(state: PartyDoc | undefined, event: PartyEvent): PartyDoc {
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
        ...(party.issuerOf ? { issuerOf: party.issuerOf } : {}),
        keys: keysAtRegistration(party, registeredAt),
        registeredAt,
        contentHash,
        sourceEventId: event.id,
      };
    }
    case 'org.pdx.party.key-added.v1': {
      const s = existing(state, event);
      return { ...s, keys: keysAfter(s.keys, { added: event.data }), sourceEventId: event.id };
    }
    case 'org.pdx.party.key-revoked.v1': {
      const s = existing(state, event);
      return { ...s, keys: keysAfter(s.keys, { revoked: event.data }), sourceEventId: event.id };
    }
    default:
      return assertNever(event);
  }
}

/** Applies a party event (see applyOnce). */
export async function applyPartyEvent(parties: Collection<PartyDoc>, event: PartyEvent): Promise<void> {
  await parties.put(evolve(await parties.get(event.subject), event));
}

export function toView(doc: PartyDoc, now: number): PartyView {
  const { id: _id, sourceEventId: _e, ...view } = doc;
  return { ...view, jwks: currentJwks(doc.keys, now) };
}
