import { contentHash, deterministicEventId, type PartyRegistration, type PublicJwk } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { contextAt, summary } from '../decisions.testing.js';
import { decideRegistration, registrationDifferences } from './party-decisions.js';
import type { PartyRecord } from './party-record.js';

const now = '2026-06-01T00:00:00.000Z';
const context = contextAt(now);
const jwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  kid: 'k1',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
} as PublicJwk;
const acme = {
  partyId: 'acme',
  legalName: 'ACME Logistics GmbH',
  country: 'DE',
  roles: ['partner'],
  jwks: { keys: [jwk] },
} as PartyRegistration;
const registered = (registration: PartyRegistration, contentHash: string): PartyRecord => ({
  id: registration.partyId,
  version: 1,
  outbox: [],
  pending: false,
  registration,
  contentHash,
  registeredAt: '2026-01-01T00:00:00.000Z',
  registeredBy: 'ops',
  keys: [{ jwk, addedAt: '2026-01-01T00:00:00.000Z' }],
});

const h1 = contentHash(acme);

describe('decideRegistration', () => {
  it.each([
    {
      given: 'a new party',
      existing: undefined,
      expected: {
        kind: 'change',
        events: [
          {
            type: 'org.pdx.party.registered.v1',
            id: deterministicEventId('party.registered.v1', 'acme', h1),
            subject: 'acme',
            data: { party: acme, registeredAt: now, registeredBy: 'ops', contentHash: h1 },
          },
        ],
        next: {
          id: 'acme',
          registration: acme,
          contentHash: h1,
          registeredAt: now,
          registeredBy: 'ops',
          keys: [{ jwk, addedAt: now }],
        },
      },
    },
    { given: 'the same content again', existing: registered(acme, h1), expected: { kind: 'unchanged' } },
    {
      given: 'other content under a registered id',
      existing: registered({ ...acme, legalName: 'ACME' }, 'h0'),
      expected: { kind: 'refused', code: 'PDX_PARTY_CONFLICT', pointer: '/partyId' },
    },
  ])('$given', ({ existing, expected }) => {
    expect(
      summary(
        decideRegistration(existing, { registration: acme, contentHash: h1, operator: 'ops' }, context),
      ),
    ).toMatchObject(expected);
  });

  it('names every field that differs in the conflict', () => {
    const decision = decideRegistration(
      registered({ ...acme, legalName: 'ACME', country: 'NL' }, 'h0'),
      { registration: acme, contentHash: h1, operator: 'ops' },
      context,
    );
    expect(decision.kind === 'refused' && decision.error.message).toContain('country, legalName differ');
  });
});

describe('registrationDifferences', () => {
  it.each([
    { given: 'the same registration', requested: acme, expected: [] },
    {
      given: 'another name',
      requested: { ...acme, legalName: 'ACME' },
      expected: [
        {
          pointer: '/legalName',
          detail: 'legalName is registered as "ACME Logistics GmbH", this request has "ACME"',
        },
      ],
    },
    {
      given: 'a field the registration does not have',
      requested: { ...acme, issuerOf: ['iso-28000'] },
      expected: [
        { pointer: '/issuerOf', detail: 'issuerOf is registered as nothing, this request has ["iso-28000"]' },
      ],
    },
    {
      given: 'other keys: rotation, not registration',
      requested: { ...acme, jwks: { keys: [{ ...jwk, kid: 'k2' }] } },
      expected: [{ pointer: '/jwks', detail: expect.stringContaining('POST /v1/parties/{partyId}/keys') }],
    },
  ])('$given', ({ requested, expected }) => {
    expect(registrationDifferences(acme, requested as PartyRegistration)).toEqual(expected);
  });
});
