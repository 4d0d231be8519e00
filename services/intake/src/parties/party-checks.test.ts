import { type PartyRegistration, PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import {
  checkKeyPurposes,
  checkNoPrivateKeyMaterial,
  checkRegisteredKeyPurposes,
  checkRegistration,
  isCountryCode,
  isValidLei,
} from './party-checks.js';

const base: PartyRegistration = {
  partyId: 'acme',
  legalName: 'ACME',
  country: 'DE',
  roles: ['partner'],
  jwks: {
    keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k1', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }],
  },
};

function failure(fn: () => void): { code: string; pointer: string | undefined } {
  try {
    fn();
  } catch (e) {
    if (e instanceof PdxError) return { code: e.code, pointer: e.pointer };
    throw e;
  }
  throw new Error('expected a PdxError');
}

describe('party checks', () => {
  it('accepts a valid registration', () => {
    expect(() => checkRegistration(base)).not.toThrow();
  });

  it('PDX_PRIVATE_KEY_MATERIAL names the private member', () => {
    expect(
      failure(() => checkNoPrivateKeyMaterial({ jwks: { keys: [{ kty: 'OKP' }, { kty: 'OKP', d: 'x' }] } })),
    ).toEqual({
      code: 'PDX_PRIVATE_KEY_MATERIAL',
      pointer: '/jwks/keys/1/d',
    });
    expect(
      failure(() => checkNoPrivateKeyMaterial({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } })).pointer,
    ).toBe('/jwks/keys/0/k');
  });

  it('PDX_KEY_PURPOSES_INVALID: empty, repeated, unknown or not a list, with the pointer of the entry', () => {
    const key = base.jwks.keys[0]!;
    const cases: [unknown, string][] = [
      [[], '/purposes'],
      ['authentication', '/purposes'],
      [['authentication', 'authentication'], '/purposes/1'],
      [['signing', 'Signing'], '/purposes/1'],
      [['authentication', 7], '/purposes/1'],
    ];
    for (const [purposes, at] of cases) {
      expect(
        failure(() => checkKeyPurposes({ ...key, purposes })),
        JSON.stringify(purposes),
      ).toEqual({
        code: 'PDX_KEY_PURPOSES_INVALID',
        pointer: at,
      });
    }
    const registration = { jwks: { keys: [key, { ...key, kid: 'k2', purposes: [] }] } };
    expect(failure(() => checkRegisteredKeyPurposes(registration)).pointer).toBe('/jwks/keys/1/purposes');
    for (const purposes of [undefined, ['authentication'], ['signing'], ['signing', 'authentication']]) {
      expect(() => checkKeyPurposes({ ...key, ...(purposes ? { purposes } : {}) })).not.toThrow();
    }
    // A key that carries purposes is still checked as a key (the member is not part of it).
    const signIn = { ...base, jwks: { keys: [{ ...key, purposes: ['authentication' as const] }] } };
    expect(() => checkRegistration(signIn)).not.toThrow();
  });

  it('PDX_JWK_INVALID: a point that is not on the curve, and a repeated kid', () => {
    const offCurve = {
      ...base,
      jwks: {
        keys: [{ kty: 'EC' as const, crv: 'P-256' as const, kid: 'e', x: 'A'.repeat(43), y: 'A'.repeat(43) }],
      },
    };
    expect(failure(() => checkRegistration(offCurve))).toEqual({
      code: 'PDX_JWK_INVALID',
      pointer: '/jwks/keys/0/x',
    });
    const twice = { ...base, jwks: { keys: [base.jwks.keys[0]!, { ...base.jwks.keys[0]! }] } };
    expect(failure(() => checkRegistration(twice))).toEqual({
      code: 'PDX_JWK_INVALID',
      pointer: '/jwks/keys/1/kid',
    });
  });

  it('PDX_IDENTIFIER_INVALID: LEI check digits and repeated identifiers', () => {
    const badLei = { ...base, identifiers: [{ scheme: 'LEI' as const, value: '5493001KJTIIGC8Y1R13' }] };
    expect(failure(() => checkRegistration(badLei))).toEqual({
      code: 'PDX_IDENTIFIER_INVALID',
      pointer: '/identifiers/0/value',
    });
    const eori = { scheme: 'EORI' as const, value: 'DE1234567' };
    expect(failure(() => checkRegistration({ ...base, identifiers: [eori, eori] })).pointer).toBe(
      '/identifiers/1',
    );
  });

  it('PDX_COUNTRY_UNKNOWN', () => {
    expect(failure(() => checkRegistration({ ...base, country: 'XX' }))).toEqual({
      code: 'PDX_COUNTRY_UNKNOWN',
      pointer: '/country',
    });
  });
});

describe('isValidLei (ISO 7064 MOD 97-10)', () => {
  it.each([
    ['5493001KJTIIGC8Y1R12', true],
    ['529900T8BM49AURSDO55', true],
    ['5493001KJTIIGC8Y1R13', false],
    ['5493001KJTIIGC8Y1R1', false],
  ])('%s → %s', (lei, ok) => expect(isValidLei(lei)).toBe(ok));
});

describe('isCountryCode', () => {
  it.each([
    ['DE', true],
    ['CN', true],
    ['XK', true],
    ['EU', false],
    ['ZZ', false],
    ['XX', false],
    ['de', false],
  ])('%s → %s', (code, ok) => expect(isCountryCode(code)).toBe(ok));
});
