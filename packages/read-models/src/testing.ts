import type { ServiceFunction } from '@pdx/schemes';
import type { LinkDoc } from './links.js';
import type { PartyDoc } from './parties.js';

/** A complete party copy for a test or a benchmark: the fields given, defaults for the rest. */
export function partyDoc(fields: Partial<PartyDoc> & { id: string }): PartyDoc {
  return {
    partyId: fields.id,
    legalName: fields.id,
    country: 'DE',
    identifiers: [],
    roles: ['partner'],
    keys: [],
    registeredAt: '2026-01-01T00:00:00.000Z',
    contentHash: '',
    sourceEventId: `fixture-${fields.id}`,
    ...fields,
  };
}

/** A complete link copy for a test or a benchmark, accepted unless said otherwise. */
export function linkDoc(fields: {
  buyerId: string;
  partnerId: string;
  functions: readonly ServiceFunction[];
  locations?: readonly string[];
  state?: LinkDoc['state'];
}): LinkDoc {
  const relationshipId = `${fields.buyerId}~${fields.partnerId}`;
  return {
    id: relationshipId,
    relationshipId,
    buyerId: fields.buyerId,
    partnerId: fields.partnerId,
    scopeOfService: {
      functions: [...fields.functions],
      ...(fields.locations && fields.locations.length > 0 ? { locations: [...fields.locations] } : {}),
    },
    state: fields.state ?? 'accepted',
    offeredAt: '2026-01-01T00:00:00.000Z',
    ...(fields.state === 'offered' ? {} : { acceptedAt: '2026-01-02T00:00:00.000Z' }),
  };
}
