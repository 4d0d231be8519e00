import { describe, expect, it } from 'vitest';
import { createEvent, type EventDataMap } from './event-catalog.js';
import type { Certificate, PartyRegistration } from './generated/types.js';
import {
  attestationReceivedAt,
  currentJwks,
  keyAllows,
  keyStateOf,
  keysAfter,
  keysAtRegistration,
} from './ids.js';
import { SchemaRegistry } from './schema-registry.js';

const registry = new SchemaRegistry();
const certificate = (jws?: string): Certificate => ({
  certificateId: 'eu-aeo-aeos~00000000000000000001',
  schemeId: 'eu-aeo-aeos',
  number: 'DE AEOS 4711/27',
  holder: 'acme',
  trust: jws ? 'attested' : 'claimed',
  ...(jws
    ? { issuer: 'zoll', attestation: { jws, issuedAt: '2027-01-01T00:00:00.000Z', contentHash: 'h' } }
    : {}),
  scope: { functions: ['warehouse'] },
  validFrom: '2026-01-01T00:00:00.000Z',
  state: 'active',
  confirmations: [],
  version: 1,
});
const event = (
  type:
    | 'org.pdx.certificate.registered.v1'
    | 'org.pdx.certificate.renewed.v1'
    | 'org.pdx.certificate.suspended.v1',
  c: Certificate,
  changedAt: string,
) =>
  createEvent(registry, {
    type,
    subject: 'acme',
    source: 'urn:pdx:test:contracts',
    time: Date.parse(changedAt),
    data: {
      certificate: c,
      changedAt,
      changedBy: 'zoll',
      ...(type === 'org.pdx.certificate.suspended.v1' ? { reason: 'x' } : {}),
      ...(type === 'org.pdx.certificate.renewed.v1' ? { previous: { validFrom: c.validFrom } } : {}),
    } as EventDataMap['org.pdx.certificate.renewed.v1'],
  });

describe('when the exchange received a certificate attestation', () => {
  it('is the changedAt of the registration or renewal that brought it, kept while it stays the same', () => {
    const registered = event(
      'org.pdx.certificate.registered.v1',
      certificate('a.b.c'),
      '2027-01-01T00:00:05.000Z',
    );
    const first = attestationReceivedAt(registered, undefined);
    expect(first).toBe('2027-01-01T00:00:05.000Z');
    const suspended = event(
      'org.pdx.certificate.suspended.v1',
      certificate('a.b.c'),
      '2027-03-01T00:00:00.000Z',
    );
    expect(attestationReceivedAt(suspended, { jws: 'a.b.c', receivedAt: first })).toBe(first);
    const renewed = event('org.pdx.certificate.renewed.v1', certificate('d.e.f'), '2027-04-01T00:00:00.000Z');
    expect(attestationReceivedAt(renewed, { jws: 'a.b.c', receivedAt: first })).toBe(
      '2027-04-01T00:00:00.000Z',
    );
  });

  it('is unknown for a claim, and for an attestation first seen on another event', () => {
    expect(
      attestationReceivedAt(
        event('org.pdx.certificate.registered.v1', certificate(), '2027-01-01T00:00:00.000Z'),
        undefined,
      ),
    ).toBeUndefined();
    expect(
      attestationReceivedAt(
        event('org.pdx.certificate.suspended.v1', certificate('a.b.c'), '2027-03-01T00:00:00.000Z'),
        undefined,
      ),
    ).toBeUndefined();
  });
});

describe("a party's keys and their purposes", () => {
  const jwk = {
    kty: 'OKP' as const,
    crv: 'Ed25519' as const,
    kid: 'k1',
    x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  };
  const at = '2026-01-01T00:00:00.000Z';

  it('an event written before purposes existed still validates, and its keys are for both', () => {
    const registered = {
      party: { partyId: 'acme', legalName: 'ACME', country: 'DE', roles: ['partner'], jwks: { keys: [jwk] } },
      registeredAt: at,
      registeredBy: 'ops',
      contentHash: 'A'.repeat(43),
    };
    expect(registry.check('urn:pdx:schema:event:party.registered.v1', registered)).toEqual([]);
    const added = { partyId: 'acme', key: { jwk: { ...jwk, kid: 'k2' }, addedAt: at }, addedBy: 'acme' };
    expect(registry.check('urn:pdx:schema:event:party.key-added.v1', added)).toEqual([]);
    const keys = keysAfter(keysAtRegistration(registered.party as PartyRegistration, at), { added });
    expect(keys.map((k) => k.purposes)).toEqual([undefined, undefined]);
    expect(keys.every((k) => keyAllows(k, 'signing') && keyAllows(k, 'authentication'))).toBe(true);
    expect(currentJwks(keys, Date.parse(at)).keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
  });

  it("the JWK's purposes member moves beside the key; a sign-in key is left out of the current JWKS", () => {
    const signIn = { ...jwk, kid: 'staff', purposes: ['authentication' as const] };
    const keys = keysAtRegistration({ jwks: { keys: [jwk, signIn] } }, at);
    expect(keys[1]).toEqual({ jwk: { ...jwk, kid: 'staff' }, addedAt: at, purposes: ['authentication'] });
    expect(keyStateOf(jwk, at)).toEqual({ jwk, addedAt: at });
    expect(keyAllows(keys[1]!, 'signing')).toBe(false);
    expect(keyAllows(keys[1]!, 'authentication')).toBe(true);
    expect(currentJwks(keys, Date.parse(at))).toEqual({ keys: [jwk] });
    // Carried by both events as the schemas allow, refused when empty, repeated or unknown.
    const added = { partyId: 'acme', key: keys[1], addedBy: 'acme' };
    expect(registry.check('urn:pdx:schema:event:party.key-added.v1', added)).toEqual([]);
    for (const purposes of [[], ['signing', 'signing'], ['sealing']]) {
      const bad = { ...added, key: { ...keys[1], purposes } };
      expect(registry.check('urn:pdx:schema:event:party.key-added.v1', bad)[0]?.pointer).toMatch(
        /^\/key\/purposes/,
      );
    }
  });
});
