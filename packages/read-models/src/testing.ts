import type { Certificate } from '@pdx/contracts';
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

/**
 * An attested ISO 28000 certificate of `acme` by `tuv` for its warehouse, active, for a test
 * or a benchmark: the fields given, these for the rest.
 */
export function attestedCertificate(fields: Partial<Certificate> = {}): Certificate {
  return {
    certificateId: 'iso-28000~00000000000000000001',
    schemeId: 'iso-28000',
    number: 'ISO-1',
    holder: 'acme',
    trust: 'attested',
    issuer: 'tuv',
    scope: { functions: ['warehouse'] },
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2027-01-01T00:00:00Z',
    state: 'active',
    confirmations: [],
    version: 1,
    ...fields,
  };
}
