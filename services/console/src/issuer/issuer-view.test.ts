import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../keys.js';
import {
  type AttestationInput,
  actionsFor,
  attestationPayload,
  type CertificateView,
  checkAttestation,
  checkParty,
  countByState,
  fieldOfCode,
  type KeyState,
  keyCondition,
  type PartyInput,
  parseIdentifiers,
  parsePublicKeys,
  partyRegistration,
  purposesText,
  sortKeys,
  splitList,
  withKey,
} from './issuer-view.js';

const input: AttestationInput = {
  schemeId: 'eu-aeo-aeof',
  holder: ' acme-logistics ',
  number: ' DE AEOF 00025/08 ',
  functions: ['forwarder', 'warehouse'],
  sites: 'deham, DEBRE DEHAM',
  validFrom: '2026-01-15',
  validUntil: '',
  tier: '',
};
const schemes = ['eu-aeo-aeof', 'eu-aeo-aeos'];

describe('the attestation an issuer signs', () => {
  it('is the schema’s payload: trimmed, functions in the schema’s order, dates as UTC instants', () => {
    expect(attestationPayload(input, 'zoll-hamburg', Date.parse('2026-02-01T10:00:00Z'))).toEqual({
      schemeId: 'eu-aeo-aeof',
      number: 'DE AEOF 00025/08',
      holder: 'acme-logistics',
      issuer: 'zoll-hamburg',
      scope: { functions: ['forwarder', 'warehouse'], sites: ['DEHAM', 'DEBRE'] },
      validFrom: '2026-01-15T00:00:00.000Z',
      issuedAt: '2026-02-01T10:00:00.000Z',
    });
    const dated = attestationPayload(
      { ...input, sites: '', validUntil: '2029-01-14', tier: ' Tier 3 ' },
      'cbp',
      0,
    );
    expect(dated.scope).toEqual({ functions: ['forwarder', 'warehouse'] });
    expect(dated.validUntil).toBe('2029-01-14T00:00:00.000Z');
    expect(dated.tier).toBe('Tier 3');
  });

  it('passes a complete form and names each bad field by its pointer', () => {
    expect(checkAttestation(input, schemes)).toEqual({});
    const found = checkAttestation(
      {
        schemeId: 'tapa-fsr',
        holder: 'ACME',
        number: '  ',
        functions: [],
        sites: 'DEHAM, hamburg',
        validFrom: '2026-05-01',
        validUntil: '2026-04-01',
        tier: 'x'.repeat(51),
      },
      schemes,
    );
    expect(Object.keys(found).sort()).toEqual([
      '/holder',
      '/number',
      '/schemeId',
      '/scope/functions',
      '/scope/sites',
      '/tier',
      '/validUntil',
    ]);
    expect(found['/scope/sites']).toContain('HAMBURG');
    expect(checkAttestation({ ...input, schemeId: '', validFrom: '' }, schemes)).toMatchObject({
      '/schemeId': expect.any(String),
      '/validFrom': expect.any(String),
    });
  });

  it('puts a refused signature or key next to the key file', () => {
    expect(fieldOfCode('PDX_SIGNATURE_INVALID')).toBe('/key');
    expect(fieldOfCode('PDX_KEY_NOT_FOR_SIGNING')).toBe('/key');
    expect(fieldOfCode('PDX_JWS_TYP_INVALID')).toBe('/key');
    expect(fieldOfCode('PDX_ATTESTATION_NOT_BY_ISSUER')).toBe('/key');
    expect(fieldOfCode('PDX_CERTIFICATE_NUMBER_TAKEN')).toBeUndefined();
  });
});

const view = (
  state: CertificateView['certificate']['state'],
  effective: CertificateView['effectiveState'] = state,
): CertificateView => ({ certificate: { state }, effectiveState: effective }) as CertificateView;

describe('the list of what an issuer attested', () => {
  it('offers suspend or reinstate, and withdraw, as the state allows', () => {
    expect(actionsFor(view('active'))).toEqual(['suspension', 'withdrawal']);
    expect(actionsFor(view('suspended'))).toEqual(['reinstatement', 'withdrawal']);
    expect(actionsFor(view('withdrawn'))).toEqual([]);
    expect(actionsFor(view('expired'))).toEqual([]);
  });

  it('counts by state, in order, without zeros', () => {
    expect(
      countByState([view('suspended'), view('active'), view('active', 'pending'), view('active')]),
    ).toEqual([
      { state: 'active', count: 2 },
      { state: 'pending', count: 1 },
      { state: 'suspended', count: 1 },
    ]);
  });
});

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ConsoleError ? error.key : String(error);
  }
  return 'no error';
};

describe('public key files', () => {
  const okp = { kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'acme-anna', purposes: ['authentication'] };
  it('reads a JWKS as pdx keygen prints it, or a single JWK', () => {
    expect(parsePublicKeys(JSON.stringify({ keys: [okp] }))).toEqual([okp]);
    expect(parsePublicKeys(JSON.stringify(okp))).toEqual([okp]);
  });
  it('refuses a private key before anything is sent, and what is not a key', () => {
    expect(code(() => parsePublicKeys(JSON.stringify({ ...okp, d: 'secret' })))).toBe(
      'issuer.error.publicKey.private',
    );
    expect(code(() => parsePublicKeys(JSON.stringify({ keys: [okp, { ...okp, kid: 'b', d: 'x' }] })))).toBe(
      'issuer.error.publicKey.private',
    );
    expect(code(() => parsePublicKeys('not json'))).toBe('error.keyFile.json');
    expect(code(() => parsePublicKeys('[1]'))).toBe('issuer.error.publicKey.shape');
    expect(code(() => parsePublicKeys('{"keys": []}'))).toBe('issuer.error.publicKey.empty');
    expect(code(() => parsePublicKeys(JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB', kid: 'r' })))).toBe(
      'error.keyFile.kind',
    );
    expect(code(() => parsePublicKeys(JSON.stringify({ ...okp, kid: undefined })))).toBe('error.keyFile.kid');
  });
});

describe('a party’s keys', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  const key = (kid: string, addedAt: string, revokedFrom?: string): KeyState =>
    ({
      jwk: { kty: 'OKP', crv: 'Ed25519', x: 'x', kid },
      addedAt,
      ...(revokedFrom ? { revokedFrom } : {}),
    }) as KeyState;
  it('is in use, revoked, or to be revoked at a later date', () => {
    expect(keyCondition(key('a', '2026-01-01T00:00:00Z'), now)).toBe('active');
    expect(keyCondition(key('a', '2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z'), now)).toBe('revoked');
    expect(keyCondition(key('a', '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'), now)).toBe('revoking');
  });
  it('lists those in use first, newest first; a changed key replaces its old state', () => {
    const keys = [
      key('old', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
      key('first', '2026-01-01T00:00:00Z'),
      key('staff', '2026-03-01T00:00:00Z'),
    ];
    expect(sortKeys(keys, now).map((k) => k.jwk.kid)).toEqual(['staff', 'first', 'old']);
    const revoked = key('staff', '2026-03-01T00:00:00Z', '2026-05-30T00:00:00Z');
    expect(sortKeys(withKey(keys, revoked), now).map((k) => k.jwk.kid)).toEqual(['first', 'staff', 'old']);
  });
  it('says its purposes in words; absent means both', () => {
    expect(purposesText(['authentication'])).toBe('sign-in');
    expect(purposesText(undefined)).toBe('sign-in, signing');
  });
});

describe('the operator’s party form', () => {
  const party: PartyInput = {
    partyId: ' zoll-hamburg ',
    legalName: ' Hauptzollamt Hamburg ',
    country: 'de',
    roles: ['issuer'],
    identifiers: 'eori DE123456789012345\n\n LEI 5299000J2N45DDNE4Y28 ',
    issuerOf: 'eu-aeo-aeos, eu-aeo-aeof',
    keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'x', kid: 'zoll-1' }],
  };
  it('builds the registration body', () => {
    expect(checkParty(party)).toEqual({});
    expect(partyRegistration(party)).toEqual({
      partyId: 'zoll-hamburg',
      legalName: 'Hauptzollamt Hamburg',
      country: 'DE',
      roles: ['issuer'],
      identifiers: [
        { scheme: 'EORI', value: 'DE123456789012345' },
        { scheme: 'LEI', value: '5299000J2N45DDNE4Y28' },
      ],
      issuerOf: ['eu-aeo-aeos', 'eu-aeo-aeof'],
      jwks: { keys: party.keys },
    });
    expect(
      partyRegistration({ ...party, roles: ['buyer', 'partner'], issuerOf: '', identifiers: '' }),
    ).toEqual({
      partyId: 'zoll-hamburg',
      legalName: 'Hauptzollamt Hamburg',
      country: 'DE',
      roles: ['partner', 'buyer'],
      jwks: { keys: party.keys },
    });
  });
  it('names each bad field by its pointer', () => {
    expect(
      Object.keys(
        checkParty({
          partyId: 'Zoll!',
          legalName: ' ',
          country: 'Germany',
          roles: [],
          identifiers: 'EORI',
          issuerOf: 'eu-aeo-aeos',
          keys: null,
        }),
      ).sort(),
    ).toEqual(['/country', '/identifiers', '/issuerOf', '/jwks', '/legalName', '/partyId', '/roles']);
    expect(checkParty({ ...party, issuerOf: '' })).toHaveProperty('/issuerOf');
    expect(checkParty({ ...party, issuerOf: 'EU AEO' })).toHaveProperty('/issuerOf');
  });
  it('reads identifiers one a line and says which line is wrong', () => {
    expect(parseIdentifiers('VAT DE 123 456').identifiers).toEqual([{ scheme: 'VAT', value: 'DE 123 456' }]);
    expect(parseIdentifiers('EORI DE1\nSSN 123').errors['/identifiers']).toMatch(/^Line 2/);
  });
  it('splits lists on commas, spaces and new lines, each once', () => {
    expect(splitList(' a, b\nc  a,,')).toEqual(['a', 'b', 'c']);
  });
});
