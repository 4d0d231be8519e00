import { type DeclarationOfSecurity, SchemaRegistry } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { DECLARATION_TYP, verifyDeclaration } from './declaration.js';
import type { KeyRecord } from './jws.js';
import { generateSigningKey, type PrivateJwk, signCompact } from './sign.js';
import { VerificationRefused } from './verification-report.js';

const registry = new SchemaRegistry();
const now = Date.parse('2026-06-01T00:00:00Z');
const policy = { now, maxAheadMs: 90 * 86_400_000, skewMs: 30_000 };

const declaration: DeclarationOfSecurity = {
  declarationId: 'dos-1',
  issuer: 'acme',
  recipients: ['globex'],
  scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
  measures: {
    E: {
      statement: 'Fenced, lit, access-controlled.',
      controls: ['Badge access'],
      isoReferences: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
    },
  },
  validity: { from: '2026-01-01T00:00:00Z', until: '2027-01-01T00:00:00Z' },
  signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
  issuedAt: '2026-05-01T00:00:00Z',
};

async function setup() {
  const { privateJwk, publicJwk } = await generateSigningKey('EdDSA', 'k1');
  const keys: KeyRecord[] = [{ jwk: publicJwk, addedAt: '2026-01-01T00:00:00Z' }];
  return { privateJwk, keys };
}

async function refusal(jws: string, keys: KeyRecord[], partyId = 'acme') {
  try {
    await verifyDeclaration(jws, { partyId, keys }, registry, policy);
  } catch (error) {
    if (error instanceof VerificationRefused) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const sign = (d: unknown, key: PrivateJwk, typ = DECLARATION_TYP) => signCompact(JSON.stringify(d), key, typ);

describe('verifyDeclaration: named steps, one result each', () => {
  it('accepts a valid declaration with every check VALID', async () => {
    const { privateJwk, keys } = await setup();
    const jws = await sign(declaration, privateJwk);
    const result = await verifyDeclaration(jws, { partyId: 'acme', keys }, registry, policy);
    expect(result.declaration).toEqual(declaration);
    expect(result.report.verdict).toBe('VALID');
    expect(result.report.checks.map((c) => c.status)).toEqual(['VALID', 'VALID', 'VALID', 'VALID', 'VALID']);
  });

  it.each([
    ['wrong typ', 'PDX_JWS_TYP_INVALID', 'signature'],
    ['unknown kid', 'PDX_KEY_UNKNOWN', 'signature'],
    ['bad signature', 'PDX_SIGNATURE_INVALID', 'signature'],
  ])('%s → %s at %s, later checks SKIPPED', async (name, code, check) => {
    const { privateJwk, keys } = await setup();
    let jws = await sign(declaration, privateJwk, name === 'wrong typ' ? 'JWT' : DECLARATION_TYP);
    if (name === 'unknown kid') jws = await sign(declaration, { ...privateJwk, kid: 'other' });
    if (name === 'bad signature')
      jws = await sign(declaration, (await generateSigningKey('EdDSA', 'k1')).privateJwk);
    const error = await refusal(jws, keys);
    expect(error.code).toBe(code);
    expect(error.report.checks.find((c) => c.check === check)).toMatchObject({ status: 'INVALID', code });
    expect(error.report.checks.filter((c) => c.status === 'SKIPPED')).toHaveLength(4);
  });

  it('PDX_KEY_REVOKED when signed after the revocation; VALID with a note when signed before', async () => {
    const { privateJwk, keys } = await setup();
    const revoked = [{ ...keys[0]!, revokedFrom: '2026-04-01T00:00:00Z' }];
    const error = await refusal(await sign(declaration, privateJwk), revoked);
    expect(error.code).toBe('PDX_KEY_REVOKED');
    const early = { ...declaration, issuedAt: '2026-03-01T00:00:00Z' };
    const ok = await verifyDeclaration(
      await sign(early, privateJwk),
      { partyId: 'acme', keys: revoked },
      registry,
      policy,
    );
    expect(ok.report.checks[1]).toMatchObject({ status: 'VALID' });
    expect(ok.report.checks[1]!.detail).toContain('before the key');
  });

  it('PDX_KEY_NOT_FOR_SIGNING for a key registered for authentication only; a key for signing, or without purposes, signs', async () => {
    const { privateJwk, keys } = await setup();
    const jws = await sign(declaration, privateJwk);
    const signIn: KeyRecord[] = [{ ...keys[0]!, purposes: ['authentication'] }];
    const error = await refusal(jws, signIn);
    expect(error.code).toBe('PDX_KEY_NOT_FOR_SIGNING');
    expect(error.report.checks.map((c) => c.status)).toEqual([
      'VALID',
      'INVALID',
      'SKIPPED',
      'SKIPPED',
      'SKIPPED',
    ]);
    expect(error.report.checks[1]!.detail).toContain('authentication only');
    for (const purposes of [undefined, ['signing'], ['authentication', 'signing']] as const) {
      const k: KeyRecord[] = [{ ...keys[0]!, ...(purposes ? { purposes: [...purposes] } : {}) }];
      const ok = await verifyDeclaration(jws, { partyId: 'acme', keys: k }, registry, policy);
      expect(ok.report.verdict, String(purposes)).toBe('VALID');
    }
  });

  it('PDX_DECLARATION_INVALID with the pointer into the payload', async () => {
    const { privateJwk, keys } = await setup();
    const bad = {
      ...declaration,
      measures: {
        E: { ...declaration.measures.E!, isoReferences: { iso28000: ['9.9'], iso28001: ['5.4'] } },
      },
    };
    const error = await refusal(await sign(bad, privateJwk), keys);
    expect(error.code).toBe('PDX_DECLARATION_INVALID');
    expect(error.pointer).toBe('/measures/E/isoReferences');
    expect(error.extensions.verification).toBe(error.report);
  });

  it('refuses times that would compare as NaN: a leap second or a missing zone', async () => {
    const { privateJwk, keys } = await setup();
    const revoked = [{ ...keys[0]!, revokedFrom: '2000-01-01T00:00:00Z' }];
    const leap = { ...declaration, issuedAt: '2016-12-31T23:59:60Z' };
    const error = await refusal(await sign(leap, privateJwk), revoked);
    expect(error.code).toBe('PDX_DECLARATION_INVALID');
    expect(error.pointer).toBe('/issuedAt');
    const local = {
      ...declaration,
      validity: { from: '2026-01-01T00:00:00', until: '2030-06-30T23:59:60Z' },
    };
    const invalid = await refusal(await sign(local, privateJwk), keys);
    expect(invalid.code).toBe('PDX_DECLARATION_INVALID');
    expect(invalid.violations.map((v) => v.pointer).sort()).toEqual(['/validity/from', '/validity/until']);
  });

  it('PDX_ISSUER_MISMATCH when the issuer is not the submitting party', async () => {
    const { privateJwk, keys } = await setup();
    const error = await refusal(await sign(declaration, privateJwk), keys, 'someone-else');
    expect(error.code).toBe('PDX_ISSUER_MISMATCH');
    expect(error.report.checks.map((c) => c.status)).toEqual([
      'VALID',
      'VALID',
      'VALID',
      'INVALID',
      'SKIPPED',
    ]);
  });

  it.each([
    ['PDX_VALIDITY_EXPIRED', { validity: { from: '2025-01-01T00:00:00Z', until: '2026-05-01T00:00:00Z' } }],
    [
      'PDX_VALIDITY_TOO_FAR_AHEAD',
      { validity: { from: '2026-12-01T00:00:00Z', until: '2027-12-01T00:00:00Z' } },
    ],
    ['PDX_VALIDITY_TOO_FAR_AHEAD', { issuedAt: '2026-06-02T00:00:00Z' }],
    ['PDX_VALIDITY_INVERTED', { validity: { from: '2026-09-01T00:00:00Z', until: '2026-08-01T00:00:00Z' } }],
  ])('%s', async (code, change) => {
    const { privateJwk, keys } = await setup();
    const error = await refusal(await sign({ ...declaration, ...change }, privateJwk), keys);
    expect(error.code).toBe(code);
    expect(error.report.checks[4]).toMatchObject({ check: 'validity-window', status: 'INVALID', code });
  });
});
