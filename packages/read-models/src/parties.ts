import {
  assertNever,
  type EventOnTopic,
  keysAfter,
  keysAtRegistration,
  type PartyView,
} from '@pdx/contracts';
import type { Collection, CollectionSpec, IndexSpec } from '@pdx/store';
import { readModelCollection } from './collection-spec.js';
import { seenBefore } from './early-events.js';

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
 * A key event about a party this copy has not seen registered is refused with
 * PDX_PARTY_NOT_FOUND (see seenBefore).
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
      const party = seenBefore(current, event, 'PDX_PARTY_NOT_FOUND', `party ${event.subject}`);
      return { ...party, keys: keysAfter(party.keys, { added: event.data }), sourceEventId: event.id };
    }
    case 'org.pdx.party.key-revoked.v1': {
      // A revocation of a key this copy does not hold changes nothing: such a key verifies
      // nothing here, which is what the revocation asks for.
      const party = seenBefore(current, event, 'PDX_PARTY_NOT_FOUND', `party ${event.subject}`);
      return { ...party, keys: keysAfter(party.keys, { revoked: event.data }), sourceEventId: event.id };
    }
    default:
      return assertNever(event);
  }
}

/** Reads, evolves and writes one party event; idempotent. Run it under applyOnce. */
export async function applyPartyEvent(parties: Collection<PartyDoc>, event: PartyEvent): Promise<void> {
  const next = evolveParty(await parties.get(event.subject), event);
  if (next) await parties.put(next);
}
