import { readFileSync } from 'node:fs';
import { type ErrorCode, PdxError, type PublicJwk } from '@pdx/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64urlStrict } from './base64url.js';
import {
  checkKeyAtSigningTime,
  checkSignature,
  decodeCompactJws,
  type KeyRecord,
  parseCompactJws,
  recheckSigningKey,
} from './jws.js';
import { generateSigningKey, type PrivateJwk, signCompact } from './sign.js';
import { buildReport } from './verification-report.js';

interface Vector {
  jwk: PublicJwk & { d?: string };
  compact: string;
  payload: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../test-fixtures/jose-vectors.json', import.meta.url), 'utf8'),
) as Record<'rfc7515_a3' | 'rfc8037_a4' | 'cookbook_ed25519', Vector>;

function publicRecord(v: Vector, kid = 'k'): KeyRecord {
  const { d: _d, ...pub } = v.jwk;
  return { jwk: { ...pub, kid } as PublicJwk, addedAt: '2020-01-01T00:00:00Z' };
}

const policy = { typ: 'test+jws' };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function codeOf(fn: () => unknown): ErrorCode | string {
  try {
    fn();
  } catch (e) {
    return e instanceof PdxError ? e.code : `not coded: ${String(e)}`;
  }
  return 'no error';
}

describe('published JOSE vectors verify', () => {
  it.each(['rfc7515_a3', 'rfc8037_a4', 'cookbook_ed25519'] as const)('%s', async (name) => {
    const v = vectors[name];
    const decoded = decodeCompactJws(v.compact);
    expect(decoded.payload.toString('utf8')).toBe(v.payload);
    expect(await checkSignature(decoded, publicRecord(v))).toEqual({ check: 'signature', status: 'VALID' });
  });

  it('a vector with one flipped signature bit does not', async () => {
    const v = vectors.rfc8037_a4;
    const [h, p, s] = v.compact.split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    sig[10]! ^= 1;
    const result = await checkSignature(
      decodeCompactJws(`${h}.${p}.${sig.toString('base64url')}`),
      publicRecord(v),
    );
    expect(result).toMatchObject({ status: 'INVALID', code: 'PDX_SIGNATURE_INVALID' });
  });
});

describe('strict decoding and header policy: one code per refusal', () => {
  const payload = b64({ hello: 'world' });
  const sig = Buffer.alloc(64, 1).toString('base64url');
  const token = (header: Record<string, unknown>) => `${b64(header)}.${payload}.${sig}`;
  const good = { alg: 'EdDSA', kid: 'k1', typ: 'test+jws' };

  it.each<[string, string, ErrorCode]>([
    ['two parts', `${b64(good)}.${payload}`, 'PDX_JWS_MALFORMED'],
    [
      'header not JSON',
      `${Buffer.from('nope').toString('base64url')}.${payload}.${sig}`,
      'PDX_JWS_MALFORMED',
    ],
    ['header an array', `${b64([1])}.${payload}.${sig}`, 'PDX_JWS_MALFORMED'],
    ['padded part', `${b64(good)}.${payload}=.${sig}`, 'PDX_JWS_BASE64URL_INVALID'],
    [
      'standard base64 alphabet',
      `${b64(good)}.${payload}.${sig.replace(/-|_/g, '+')}+/`,
      'PDX_JWS_BASE64URL_INVALID',
    ],
    ['oversized header', token({ ...good, pad: 'x'.repeat(2_000) }), 'PDX_JWS_HEADER_TOO_LARGE'],
    ['alg none', token({ ...good, alg: 'none' }), 'PDX_JWS_ALG_NOT_ALLOWED'],
    ['alg none, empty signature', `${b64({ ...good, alg: 'none' })}.${payload}.`, 'PDX_JWS_ALG_NOT_ALLOWED'],
    ['empty signature', `${b64(good)}.${payload}.`, 'PDX_JWS_MALFORMED'],
    ['alg HS256', token({ ...good, alg: 'HS256' }), 'PDX_JWS_ALG_NOT_ALLOWED'],
    ['alg RS256', token({ ...good, alg: 'RS256' }), 'PDX_JWS_ALG_NOT_ALLOWED'],
    ['embedded jwk', token({ ...good, jwk: { kty: 'OKP' } }), 'PDX_JWS_EMBEDDED_KEY'],
    ['jku', token({ ...good, jku: 'https://attacker.example/jwks' }), 'PDX_JWS_EMBEDDED_KEY'],
    ['x5u', token({ ...good, x5u: 'https://attacker.example/cert' }), 'PDX_JWS_EMBEDDED_KEY'],
    ['crit', token({ ...good, crit: ['exp'], exp: 1 }), 'PDX_JWS_CRIT_UNSUPPORTED'],
    ['b64 false', token({ ...good, b64: false }), 'PDX_JWS_B64_UNSUPPORTED'],
    ['wrong typ', token({ ...good, typ: 'JWT' }), 'PDX_JWS_TYP_INVALID'],
    ['no kid', token({ alg: 'EdDSA', typ: 'test+jws' }), 'PDX_KEY_UNKNOWN'],
  ])('%s', (_name, compact, code) => {
    expect(codeOf(() => parseCompactJws(compact, policy))).toBe(code);
  });

  it('refuses a non-canonical encoding that lenient decoders read as the same bytes', () => {
    // Two base64url characters carry 12 bits for one byte: the low 4 bits are unused.
    const canonical = Buffer.from([0xfa]).toString('base64url');
    const lastValue = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(
      canonical[1]!,
    );
    const variant =
      canonical[0]! + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[lastValue | 1]!;
    expect(Buffer.from(variant, 'base64url')).toEqual(Buffer.from(canonical, 'base64url'));
    expect(decodeBase64urlStrict(canonical)).toEqual(Buffer.from([0xfa]));
    expect(decodeBase64urlStrict(variant)).toBeUndefined();
  });
});

describe('signature and key validity', () => {
  it('verifies a token signed by a generated key, and only with that key and its own alg', async () => {
    const ed = await generateSigningKey('EdDSA', 'ed');
    const ec = await generateSigningKey('ES256', 'ec');
    const compact = await signCompact('{"a":1}', ed.privateJwk, 'test+jws');
    const parsed = parseCompactJws(compact, policy);
    const edKey = { jwk: ed.publicJwk, addedAt: '2026-01-01T00:00:00Z' };
    expect((await checkSignature(parsed, edKey)).status).toBe('VALID');
    expect(await checkSignature(parsed, undefined)).toMatchObject({ code: 'PDX_KEY_UNKNOWN' });
    expect(await checkSignature(parsed, { jwk: ec.publicJwk, addedAt: edKey.addedAt })).toMatchObject({
      code: 'PDX_JWS_ALG_NOT_ALLOWED',
    });
    const other = await generateSigningKey('EdDSA', 'ed');
    expect(await checkSignature(parsed, { jwk: other.publicJwk, addedAt: edKey.addedAt })).toMatchObject({
      code: 'PDX_SIGNATURE_INVALID',
    });
    const ecToken = await signCompact('{"a":1}', ec.privateJwk, 'test+jws');
    expect(
      (await checkSignature(parseCompactJws(ecToken, policy), { jwk: ec.publicJwk, addedAt: '' })).status,
    ).toBe('VALID');
  });

  it('PDX_KEY_REVOKED for a signature made at or after the revocation; earlier ones stay valid', async () => {
    const { publicJwk } = await generateSigningKey('EdDSA', 'k');
    const key = { jwk: publicJwk, addedAt: '2026-01-01T00:00:00Z', revokedFrom: '2026-06-01T00:00:00Z' };
    expect(checkKeyAtSigningTime(key, Date.parse('2026-06-01T00:00:00Z'))).toMatchObject({
      status: 'INVALID',
      code: 'PDX_KEY_REVOKED',
    });
    const before = checkKeyAtSigningTime(key, Date.parse('2026-05-31T23:59:59Z'));
    expect(before.status).toBe('VALID');
    expect(before.detail).toContain('before the key');
  });

  it('a compromised key: a signature received after the compromise fails whatever time it states', async () => {
    const { publicJwk } = await generateSigningKey('EdDSA', 'k');
    const revokedFrom = '2026-06-01T00:00:00Z';
    const at = (iso: string) => Date.parse(iso);
    const compromised = {
      jwk: publicJwk,
      addedAt: '2026-01-01T00:00:00Z',
      revokedFrom,
      revocationReason: 'compromised' as const,
    };
    // Backdated: it says May, but the exchange only saw it in July, after the thief had the key.
    const backdated = checkKeyAtSigningTime(
      compromised,
      at('2026-05-01T00:00:00Z'),
      at('2026-07-01T00:00:00Z'),
    );
    expect(backdated).toMatchObject({ status: 'INVALID', code: 'PDX_KEY_REVOKED' });
    expect(backdated.detail).toContain('reached the exchange at 2026-07-01T00:00:00.000Z');
    // Received before the compromise: it stands.
    expect(
      checkKeyAtSigningTime(compromised, at('2026-05-01T00:00:00Z'), at('2026-05-01T00:00:01Z')).status,
    ).toBe('VALID');
    // Signed (as stated) after the revocation: refused, received whenever.
    expect(
      checkKeyAtSigningTime(compromised, at('2026-06-02T00:00:00Z'), at('2026-05-01T00:00:00Z')),
    ).toMatchObject({ status: 'INVALID', code: 'PDX_KEY_REVOKED' });
    // A superseded key was still its holder's: the stated time is believed.
    const superseded = { ...compromised, revocationReason: 'superseded' as const };
    expect(
      checkKeyAtSigningTime(superseded, at('2026-05-01T00:00:00Z'), at('2026-07-01T00:00:00Z')).status,
    ).toBe('VALID');
  });

  it('PDX_KEY_NOT_FOR_SIGNING for a key without the purpose signing, whenever signed and rechecked', async () => {
    const signer = await generateSigningKey('EdDSA', 'k-1');
    const jws = await signCompact('{"a":1}', signer.privateJwk, 'test+jws');
    const signedAt = Date.parse('2026-05-01T00:00:00Z');
    const signIn = {
      jwk: signer.publicJwk,
      addedAt: '2026-01-01T00:00:00Z',
      purposes: ['authentication' as const],
    };
    expect(checkKeyAtSigningTime(signIn, signedAt)).toMatchObject({
      check: 'key-valid-at-signing-time',
      status: 'INVALID',
      code: 'PDX_KEY_NOT_FOR_SIGNING',
    });
    // The purpose comes first: a revocation after the signing does not make it a signing key.
    const revokedLater = { ...signIn, revokedFrom: '2026-09-01T00:00:00Z' };
    expect(recheckSigningKey(jws, [revokedLater], signedAt, signedAt)?.code).toBe('PDX_KEY_NOT_FOR_SIGNING');
    // Absent (every key registered before purposes existed) and listed: it signs.
    const { purposes: _, ...old } = signIn;
    expect(checkKeyAtSigningTime(old, signedAt).status).toBe('VALID');
    expect(checkKeyAtSigningTime({ ...signIn, purposes: ['signing'] }, signedAt).status).toBe('VALID');
  });

  it('rechecks the key of an accepted signature against the keys as they are now', async () => {
    const signer = await generateSigningKey('EdDSA', 'k-1');
    const jws = await signCompact('{"a":1}', signer.privateJwk, 'test+jws');
    const signedAt = Date.parse('2026-05-01T00:00:00Z');
    const key = { jwk: signer.publicJwk, addedAt: '2026-01-01T00:00:00Z' };
    expect(recheckSigningKey(jws, [key], signedAt)).toEqual({
      check: 'key-valid-at-signing-time',
      status: 'VALID',
    });
    const revoked = { ...key, revokedFrom: '2026-04-01T00:00:00Z', revocationReason: 'compromised' as const };
    expect(recheckSigningKey(jws, [revoked], signedAt)).toMatchObject({
      status: 'INVALID',
      code: 'PDX_KEY_REVOKED',
    });
    // Another party's keys know nothing against it.
    const other = await generateSigningKey('EdDSA', 'k-2');
    expect(recheckSigningKey(jws, [{ ...revoked, jwk: other.publicJwk }], signedAt)).toBeUndefined();
  });

  it('reports every check, in order, with SKIPPED for those not reached', () => {
    const report = buildReport([{ check: 'signature', status: 'INVALID', code: 'PDX_SIGNATURE_INVALID' }]);
    expect(report.verdict).toBe('INVALID');
    expect(report.checks.map((c) => `${c.check}:${c.status}`)).toEqual([
      'signature:INVALID',
      'key-valid-at-signing-time:SKIPPED',
      'schema:SKIPPED',
      'issuer:SKIPPED',
      'validity-window:SKIPPED',
    ]);
  });
});

describe('random mutations of a valid JWS', () => {
  it('never verify and never throw anything but a coded refusal', async () => {
    const { privateJwk, publicJwk } = await generateSigningKey('EdDSA', 'k1');
    const compact = await signCompact(
      JSON.stringify({ declarationId: 'd-1', n: 42 }),
      privateJwk as PrivateJwk,
      'test+jws',
    );
    const key = { jwk: publicJwk, addedAt: '2026-01-01T00:00:00Z' };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: fc.nat(),
            kind: fc.constantFrom('replace', 'insert', 'delete'),
            ch: fc.constantFrom(...alphabet),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (mutations) => {
          let s = compact;
          for (const m of mutations) {
            const i = m.at % (s.length + 1);
            if (m.kind === 'replace') s = s.slice(0, i) + m.ch + s.slice(i + 1);
            else if (m.kind === 'insert') s = s.slice(0, i) + m.ch + s.slice(i);
            else s = s.slice(0, i) + s.slice(i + 1);
          }
          if (s === compact) return;
          let parsed: ReturnType<typeof parseCompactJws>;
          try {
            parsed = parseCompactJws(s, policy);
          } catch (error) {
            expect(error).toBeInstanceOf(PdxError);
            return;
          }
          const result = await checkSignature(parsed, key);
          expect(result.status).not.toBe('VALID');
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
