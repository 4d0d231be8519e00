import type { KeyState, PdxError, PublicJwk } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { event, memoryCollection } from './fixtures.js';
import { applyPartyEvent, evolveParty, type PartyDoc, type PartyEvent, partyCollection } from './parties.js';

const jwk = (kid: string): PublicJwk => ({
  kty: 'OKP',
  crv: 'Ed25519',
  x: `${kid.padEnd(8, 'x')}${'A'.repeat(35)}`,
  kid,
});
const key = (kid: string, addedAt: string): KeyState => ({ jwk: jwk(kid), addedAt });

const registered = event(
  'org.pdx.party.registered.v1',
  'acme',
  {
    party: {
      partyId: 'acme',
      legalName: 'Acme Logistics GmbH',
      country: 'DE',
      roles: ['partner'],
      jwks: { keys: [jwk('acme-1')] },
    },
    registeredAt: '2027-01-01T00:00:00.000Z',
    registeredBy: 'operator',
    contentHash: 'c'.repeat(43),
  },
  'e-registered',
);
const issuerRegistered = event(
  'org.pdx.party.registered.v1',
  'zoll',
  {
    party: {
      partyId: 'zoll',
      legalName: 'Zoll',
      country: 'DE',
      identifiers: [{ scheme: 'EORI', value: 'DE123456789012345' }],
      roles: ['issuer'],
      issuerOf: ['eu-aeo-aeos'],
      jwks: { keys: [jwk('zoll-1')] },
    },
    registeredAt: '2027-01-02T00:00:00.000Z',
    registeredBy: 'operator',
    contentHash: 'z'.repeat(43),
  },
  'e-zoll',
);
const added = event(
  'org.pdx.party.key-added.v1',
  'acme',
  { partyId: 'acme', key: key('acme-2', '2027-02-01T00:00:00.000Z'), addedBy: 'acme' },
  'e-added',
);
const revoked = event(
  'org.pdx.party.key-revoked.v1',
  'acme',
  {
    partyId: 'acme',
    kid: 'acme-1',
    revokedFrom: '2027-03-01T00:00:00.000Z',
    revokedAt: '2027-03-02T00:00:00.000Z',
    reason: 'compromised',
    revokedBy: 'acme',
  },
  'e-revoked',
);
const revokedUnknownKey = event(
  'org.pdx.party.key-revoked.v1',
  'acme',
  {
    partyId: 'acme',
    kid: 'acme-9',
    revokedFrom: '2027-03-01T00:00:00.000Z',
    revokedAt: '2027-03-02T00:00:00.000Z',
    reason: 'retired',
    revokedBy: 'acme',
  },
  'e-revoked-9',
);

const acme: PartyDoc = {
  id: 'acme',
  partyId: 'acme',
  legalName: 'Acme Logistics GmbH',
  country: 'DE',
  identifiers: [],
  roles: ['partner'],
  keys: [key('acme-1', '2027-01-01T00:00:00.000Z')],
  registeredAt: '2027-01-01T00:00:00.000Z',
  contentHash: 'c'.repeat(43),
  sourceEventId: 'e-registered',
};
const acmeRotated: PartyDoc = {
  ...acme,
  keys: [...acme.keys, key('acme-2', '2027-02-01T00:00:00.000Z')],
  sourceEventId: 'e-added',
};
const acmeRevoked: PartyDoc = {
  ...acmeRotated,
  keys: [
    {
      ...key('acme-1', '2027-01-01T00:00:00.000Z'),
      revokedFrom: '2027-03-01T00:00:00.000Z',
      revokedAt: '2027-03-02T00:00:00.000Z',
      revocationReason: 'compromised',
    },
    key('acme-2', '2027-02-01T00:00:00.000Z'),
  ],
  sourceEventId: 'e-revoked',
};

describe('evolveParty', () => {
  const rows: {
    name: string;
    given: PartyDoc | undefined;
    when: PartyEvent;
    expected: PartyDoc | undefined;
  }[] = [
    {
      name: 'a registration makes the party with its keys',
      given: undefined,
      when: registered,
      expected: acme,
    },
    {
      name: "an issuer's registration keeps its identifiers and the schemes it attests",
      given: undefined,
      when: issuerRegistered,
      expected: {
        id: 'zoll',
        partyId: 'zoll',
        legalName: 'Zoll',
        country: 'DE',
        identifiers: [{ scheme: 'EORI', value: 'DE123456789012345' }],
        roles: ['issuer'],
        issuerOf: ['eu-aeo-aeos'],
        keys: [key('zoll-1', '2027-01-02T00:00:00.000Z')],
        registeredAt: '2027-01-02T00:00:00.000Z',
        contentHash: 'z'.repeat(43),
        sourceEventId: 'e-zoll',
      },
    },
    {
      name: 'a registration seen again changes nothing',
      given: acmeRotated,
      when: registered,
      expected: undefined,
    },
    { name: 'a key added joins the keys', given: acme, when: added, expected: acmeRotated },
    { name: 'a key added again is there once', given: acmeRotated, when: added, expected: acmeRotated },
    { name: 'a revocation marks the key it names', given: acmeRotated, when: revoked, expected: acmeRevoked },
    { name: 'a revocation seen again is the same', given: acmeRevoked, when: revoked, expected: acmeRevoked },
    {
      name: 'a revocation of a key the copy does not hold leaves the keys',
      given: acme,
      when: revokedUnknownKey,
      expected: { ...acme, sourceEventId: 'e-revoked-9' },
    },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolveParty(given, when)).toEqual(expected);
  });

  it.each([
    ['a key added', added],
    ['a key revoked', revoked],
  ])('%s to a party whose registration the copy has not seen is refused with PDX_PARTY_NOT_FOUND', (_, e) => {
    let error: PdxError | undefined;
    try {
      evolveParty(undefined, e);
    } catch (thrown) {
      error = thrown as PdxError;
    }
    expect(error?.name).toBe('PdxError');
    expect(error?.code).toBe('PDX_PARTY_NOT_FOUND');
    expect(error?.message).toContain(e.id);
  });
});

describe('applyPartyEvent', () => {
  it('writes what evolve says, and a repeat leaves the same document', async () => {
    const docs = memoryCollection<PartyDoc>();
    for (const e of [registered, added, revoked, registered, added, revoked]) await applyPartyEvent(docs, e);
    expect(await docs.get('acme')).toEqual(acmeRevoked);
  });
});

describe('partyCollection', () => {
  it('keeps the name a service has always used and adds its indexes', () => {
    expect(partyCollection()).toEqual({ name: 'parties', indexes: [] });
    expect(partyCollection({ name: 'party_keys' })).toEqual({ name: 'party_keys', indexes: [] });
    expect(partyCollection({ indexes: [{ fields: ['country'] }] })).toEqual({
      name: 'parties',
      indexes: [{ fields: ['country'] }],
    });
  });
});
