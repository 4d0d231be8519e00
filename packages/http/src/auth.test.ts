import { PdxError } from '@pdx/contracts';
import { generateSigningKey, type KeyRecord, mintAuthToken, type PrivateJwk, signCompact } from '@pdx/crypto';
import { ManualClock } from '@pdx/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AuthOptions, assertOperator, assertSelfOrOperator, authenticate } from './auth.js';

const clock = new ManualClock('2026-05-01T12:00:00Z');
let partyKey: PrivateJwk;
let operatorKey: PrivateJwk;
let strangerKey: PrivateJwk;
const keys = new Map<string, KeyRecord[]>();
const seen = new Set<string>();
let options: AuthOptions;

beforeAll(async () => {
  partyKey = (await generateSigningKey('EdDSA', 'p1')).privateJwk;
  operatorKey = (await generateSigningKey('ES256', 'o1')).privateJwk;
  strangerKey = (await generateSigningKey('EdDSA', 'p1')).privateJwk;
  const { d: _d, ...partyPublic } = partyKey;
  const revoked = (await generateSigningKey('EdDSA', 'old')).privateJwk;
  const { d: _r, ...revokedPublic } = revoked;
  keys.set('acme', [
    { jwk: partyPublic, addedAt: '2026-01-01T00:00:00Z' },
    { jwk: revokedPublic, addedAt: '2026-01-01T00:00:00Z', revokedFrom: '2026-04-01T00:00:00Z' },
  ]);
  keys.set('revoked-holder', [{ jwk: revokedPublic, addedAt: '2026-01-01T00:00:00Z' }]);
  revokedKey = revoked;
  const { d: _o, ...operatorPublic } = operatorKey;
  options = {
    audience: 'pdx',
    operators: [{ id: 'ops', jwks: { keys: [operatorPublic] } }],
    parties: { keysOf: async (id) => keys.get(id) },
    replay: {
      claim: async (iss, jti) => {
        const k = `${iss} ${jti}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      },
    },
    clock,
  };
});
let revokedKey: PrivateJwk;

const token = (over: Partial<Parameters<typeof mintAuthToken>[0]> = {}) =>
  mintAuthToken({ privateJwk: partyKey, issuer: 'acme', audience: 'pdx', now: clock.now(), ...over });

async function code(authorization: string | undefined): Promise<string> {
  try {
    await authenticate(authorization, options);
    return 'accepted';
  } catch (e) {
    return e instanceof PdxError ? e.code : `uncoded ${String(e)}`;
  }
}

describe('bearer token authentication (RFC 8725)', () => {
  it('accepts a party token once and names the party', async () => {
    const t = await token();
    expect(await authenticate(`Bearer ${t}`, options)).toEqual({ kind: 'party', id: 'acme' });
    expect(await code(`Bearer ${t}`)).toBe('PDX_AUTH_REPLAYED');
  });

  it('recognises operators by their configured keys', async () => {
    const t = await mintAuthToken({
      privateJwk: operatorKey,
      issuer: 'ops',
      audience: 'pdx',
      now: clock.now(),
    });
    expect(await authenticate(`Bearer ${t}`, options)).toEqual({ kind: 'operator', id: 'ops' });
  });

  it('PDX_AUTH_REQUIRED without a bearer token', async () => {
    expect(await code(undefined)).toBe('PDX_AUTH_REQUIRED');
    expect(await code('Basic dXNlcjpwYXNz')).toBe('PDX_AUTH_REQUIRED');
  });

  it('PDX_AUTH_EXPIRED, PDX_AUTH_AUDIENCE_INVALID, PDX_AUTH_LIFETIME_TOO_LONG', async () => {
    expect(await code(`Bearer ${await token({ now: clock.now() - 10 * 60_000 })}`)).toBe('PDX_AUTH_EXPIRED');
    expect(await code(`Bearer ${await token({ audience: 'another-exchange' })}`)).toBe(
      'PDX_AUTH_AUDIENCE_INVALID',
    );
    expect(await code(`Bearer ${await token({ lifetimeSeconds: 3_600 })}`)).toBe(
      'PDX_AUTH_LIFETIME_TOO_LONG',
    );
  });

  it('PDX_AUTH_TOKEN_INVALID: wrong typ, alg none, foreign key, unknown issuer, revoked key, future iat', async () => {
    const now = Math.floor(clock.now() / 1000);
    const claims = { iss: 'acme', aud: 'pdx', iat: now, exp: now + 60, jti: 'abcdefgh-1' };
    expect(await code(`Bearer ${await signCompact(JSON.stringify(claims), partyKey, 'JWT')}`)).toBe(
      'PDX_AUTH_TOKEN_INVALID',
    );
    const none = `${Buffer.from('{"alg":"none","typ":"pdx-auth+jwt","kid":"p1"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(await code(`Bearer ${none}`)).toBe('PDX_AUTH_TOKEN_INVALID');
    expect(await code(`Bearer ${await token({ privateJwk: strangerKey })}`)).toBe('PDX_AUTH_TOKEN_INVALID');
    expect(await code(`Bearer ${await token({ issuer: 'nobody' })}`)).toBe('PDX_AUTH_TOKEN_INVALID');
    expect(await code(`Bearer ${await token({ privateJwk: revokedKey })}`)).toBe('PDX_AUTH_TOKEN_INVALID');
    expect(await code(`Bearer ${await token({ now: clock.now() + 10 * 60_000 })}`)).toBe(
      'PDX_AUTH_TOKEN_INVALID',
    );
  });

  it('a refused token does not use up its jti', async () => {
    const t = await token({ jti: 'retry-after-fix', audience: 'wrong' });
    expect(await code(`Bearer ${t}`)).toBe('PDX_AUTH_AUDIENCE_INVALID');
    expect(await code(`Bearer ${await token({ jti: 'retry-after-fix' })}`)).toBe('accepted');
  });
});

describe('authorization', () => {
  it('PDX_FORBIDDEN: parties are not operators and act only as themselves', () => {
    const party = { kind: 'party' as const, id: 'acme' };
    expect(() => assertOperator(party)).toThrow(expect.objectContaining({ code: 'PDX_FORBIDDEN' }));
    expect(() => assertSelfOrOperator(party, 'other')).toThrow(
      expect.objectContaining({ code: 'PDX_FORBIDDEN' }),
    );
    expect(() => assertSelfOrOperator(party, 'acme')).not.toThrow();
    expect(() => assertSelfOrOperator({ kind: 'operator', id: 'ops' }, 'other')).not.toThrow();
  });
});
