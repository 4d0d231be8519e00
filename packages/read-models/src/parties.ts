import {
  assertNever,
  type EventOnTopic,
  keysAfter,
  keysAtRegistration,
  type PartyView,
  PdxError,
} from '@pdx/contracts';
import type { Collection, CollectionSpec, IndexSpec } from '@pdx/store';
import { readModelCollection } from './collection-spec.js';

/** A service's copy of a registered party: who it is, its roles and every key with its lifecycle. */
export interface PartyDoc extends Omit<PartyView, 'jwks'> {
  /** The party id. */
  id: string;
  /** Id of the last event applied to this party. */
  sourceEventId: string;
}

export type PartyEvent = EventOnTopic<'pdx.parties'>;

/** The collection of a service's party copy (`parties` unless the service has always said otherwise). */
export function partyCollection(
  options: { name?: string; indexes?: readonly IndexSpec[] } = {},
): CollectionSpec {
  return readModelCollection(options.name ?? 'parties', [], options.indexes);
}

/**
 * Pure: a party after one of its events, or undefined when the event changes nothing (a
 * registration seen again). Applying an event twice gives the party applying it once gives.
 *
 * A key event about a party this copy has not seen is refused with PDX_PARTY_NOT_FOUND (the
 * consumer dead-letters it). The events of a party share its partition and its registration
 * comes first, so such an event means the copy lost the registration: held, it would wait
 * for an event that is not coming again; dead-lettered, it is kept for replay and counted.
 */
export function evolveParty(current: PartyDoc | undefined, event: PartyEvent): PartyDoc | undefined {
  switch (event.type) {
    case 'org.pdx.party.registered.v1': {
      // Registered once: a registration seen again must not undo the keys added since.
      if (current) return undefined;
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
      const party = registered(current, event);
      return { ...party, keys: keysAfter(party.keys, { added: event.data }), sourceEventId: event.id };
    }
    case 'org.pdx.party.key-revoked.v1': {
      // A revocation of a key this copy does not hold changes nothing: such a key verifies
      // nothing here, which is what the revocation asks for.
      const party = registered(current, event);
      return { ...party, keys: keysAfter(party.keys, { revoked: event.data }), sourceEventId: event.id };
    }
    default:
      return assertNever(event);
  }
}

function registered(current: PartyDoc | undefined, event: PartyEvent): PartyDoc {
  if (!current) {
    throw new PdxError(
      'PDX_PARTY_NOT_FOUND',
      `${event.type} ${event.id} about party ${event.subject}, whose registration this copy has not seen`,
    );
  }
  return current;
}

/** Reads, evolves and writes one party event; idempotent. Run it under applyOnce. */
export async function applyPartyEvent(parties: Collection<PartyDoc>, event: PartyEvent): Promise<void> {
  const next = evolveParty(await parties.get(event.subject), event);
  if (next) await parties.put(next);
}
