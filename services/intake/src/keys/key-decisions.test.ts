import { canonicalJson, deterministicEventId, type KeyState, type PublicJwk } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { contextAt, summary } from '../decisions.testing.js';
import type { PartyRecord } from '../parties/party-record.js';
import { decideAddKey, decideRevokeKey } from './key-decisions.js';

const now = '2026-06-01T00:00:00.000Z';
const context = contextAt(now);
const jwk = (kid: string, x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'): PublicJwk =>
  ({ kty: 'OKP', crv: 'Ed25519', kid, x }) as PublicJwk;
const k1: KeyState = { jwk: jwk('k1'), addedAt: '2026-01-01T00:00:00.000Z' };
const signOnly: KeyState = { ...k1, jwk: jwk('k2'), purposes: ['signing'] };
const revokedK1: KeyState = {
  ...k1,
  revokedFrom: '2026-05-01T00:00:00.000Z',
  revokedAt: '2026-05-01T00:00:00.000Z',
  revocationReason: 'superseded',
};
const party = (keys: KeyState[]): PartyRecord =>
  ({
    id: 'acme',
    version: 3,
    outbox: [],
    pending: false,
    registration: {} as PartyRecord['registration'],
    contentHash: 'h',
    registeredAt: '2026-01-01T00:00:00.000Z',
    registeredBy: 'ops',
    keys,
  }) as PartyRecord;

describe('decideAddKey', () => {
  const k3 = jwk('k3', 'AAAAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo');
  it.each([
    {
      given: 'a new kid',
      record: party([k1]),
      key: k3,
      expected: {
        kind: 'change',
        events: [
          {
            type: 'org.pdx.party.key-added.v1',
            id: deterministicEventId('party.key-added.v1', 'acme', canonicalJson(k3)),
            subject: 'acme',
            data: { partyId: 'acme', key: { jwk: k3, addedAt: now }, addedBy: 'ops' },
          },
        ],
        next: { keys: [k1, { jwk: k3, addedAt: now }] },
        value: { jwk: k3, addedAt: now },
      },
    },
    {
      given: 'purposes in the JWK: the key keeps them, not the JWK',
      record: party([k1]),
      key: { ...k3, purposes: ['signing'] } as PublicJwk,
      expected: {
        kind: 'change',
        value: { jwk: k3, addedAt: now, purposes: ['signing'] },
        next: { keys: [k1, { jwk: k3, addedAt: now, purposes: ['signing'] }] },
      },
    },
    {
      given: 'the same key again',
      record: party([k1]),
      key: jwk('k1'),
      expected: { kind: 'unchanged', value: k1 },
    },
    {
      given: 'the same key with its purposes in another order',
      record: party([{ ...k1, purposes: ['signing', 'authentication'] }]),
      key: { ...jwk('k1'), purposes: ['authentication', 'signing'] } as PublicJwk,
      expected: { kind: 'unchanged' },
    },
    {
      given: 'another key under a kid in use',
      record: party([k1]),
      key: jwk('k1', 'BBBBYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'),
      expected: { kind: 'refused', code: 'PDX_KEY_CONFLICT', pointer: '/kid' },
    },
    {
      given: 'the same key with other purposes',
      record: party([signOnly]),
      key: jwk('k2'),
      expected: { kind: 'refused', code: 'PDX_KEY_CONFLICT', pointer: '/purposes' },
    },
    {
      given: 'no party',
      record: undefined,
      key: k3,
      expected: { kind: 'refused', code: 'PDX_PARTY_NOT_FOUND', pointer: '/partyId' },
    },
  ])('$given', ({ record, key, expected }) => {
    expect(summary(decideAddKey(record, { partyId: 'acme', jwk: key, actor: 'ops' }, context))).toMatchObject(
      expected,
    );
  });

  it('answers a change with a record whose other keys are untouched', () => {
    const decision = decideAddKey(
      party([k1, signOnly]),
      { partyId: 'acme', jwk: k3, actor: 'acme' },
      context,
    );
    expect(decision.kind === 'change' && decision.next.keys.slice(0, 2)).toEqual([k1, signOnly]);
  });
});

describe('decideRevokeKey', () => {
  const revocation = (from: string | undefined, reason: 'superseded' | 'compromised' = 'superseded') => ({
    partyId: 'acme',
    kid: 'k1',
    reason,
    actor: 'acme',
    ...(from === undefined ? {} : { revokedFrom: from }),
  });
  it.each([
    {
      given: 'a key in force, revoked from now',
      record: party([k1, signOnly]),
      input: revocation(undefined),
      expected: {
        kind: 'change',
        events: [
          {
            type: 'org.pdx.party.key-revoked.v1',
            id: deterministicEventId('party.key-revoked.v1', 'acme', 'k1', now, 'superseded'),
            subject: 'acme',
            data: { partyId: 'acme', kid: 'k1', revokedFrom: now, revokedAt: now, revokedBy: 'acme' },
          },
        ],
        next: {
          keys: [{ ...k1, revokedFrom: now, revokedAt: now, revocationReason: 'superseded' }, signOnly],
        },
      },
    },
    {
      given: 'a time with an offset, kept in UTC',
      record: party([k1]),
      input: revocation('2026-07-01T02:00:00+02:00', 'compromised'),
      expected: {
        kind: 'change',
        value: { revokedFrom: '2026-07-01T00:00:00.000Z', revokedAt: now, revocationReason: 'compromised' },
      },
    },
    {
      given: 'the same revocation again',
      record: party([revokedK1]),
      input: revocation('2026-05-01T00:00:00Z'),
      expected: { kind: 'unchanged', value: revokedK1 },
    },
    {
      given: 'an earlier time: a compromise found after a planned retirement',
      record: party([revokedK1]),
      input: revocation('2026-04-01T00:00:00Z', 'compromised'),
      expected: {
        kind: 'change',
        events: [
          {
            type: 'org.pdx.party.key-revoked.v1',
            data: { revokedFrom: '2026-04-01T00:00:00.000Z', reason: 'compromised' },
          },
        ],
      },
    },
    {
      given: 'a later time',
      record: party([revokedK1]),
      input: revocation('2026-05-02T00:00:00Z'),
      expected: { kind: 'refused', code: 'PDX_KEY_ALREADY_REVOKED', pointer: '/revokedFrom' },
    },
    {
      given: 'the same time with another reason',
      record: party([revokedK1]),
      input: revocation('2026-05-01T00:00:00Z', 'compromised'),
      expected: { kind: 'refused', code: 'PDX_KEY_ALREADY_REVOKED', pointer: '/revokedFrom' },
    },
    {
      given: 'an unknown kid',
      record: party([signOnly]),
      input: revocation(undefined),
      expected: { kind: 'refused', code: 'PDX_KEY_NOT_FOUND', pointer: '/kid' },
    },
    {
      given: 'no party',
      record: undefined,
      input: revocation(undefined),
      expected: { kind: 'refused', code: 'PDX_PARTY_NOT_FOUND', pointer: '/partyId' },
    },
  ])('$given', ({ record, input, expected }) => {
    expect(summary(decideRevokeKey(record, input, context))).toMatchObject(expected);
  });
});
