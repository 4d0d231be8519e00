import { generateSigningKey } from '@pdx/crypto';
import { authenticateTokenRequest } from '@pdx/http';
import { describe, expect, it } from 'vitest';
import {
  ASSERTION_LIFETIME_SECONDS,
  type ConsoleError,
  importSigningKey,
  parseKeyFile,
  renewDelayMs,
  signClientAssertion,
} from './keys.js';

const ISSUER = 'http://pdx.test';
const NOW = Date.parse('2026-12-01T10:00:00Z');

/** The exchange's own check of a token request (RFC 7523), against a party holding `publicJwk`. */
async function exchangeAccepts(assertion: string, publicJwk: object, now = NOW) {
  const seen = new Set<string>();
  return authenticateTokenRequest(
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
    {
      issuer: ISSUER,
      clients: {
        operators: [],
        party: async (id) =>
          id === 'acme'
            ? { keys: [{ jwk: publicJwk as never, addedAt: '2026-01-01T00:00:00Z' }], roles: ['buyer'] }
            : undefined,
      },
      replay: { claim: async (_iss, jti) => !seen.has(jti) && Boolean(seen.add(jti)) },
      clock: { now: () => now },
      clockSkewSeconds: 30,
    },
  );
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('the console key file and client assertion', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`signs an assertion the exchange accepts with an ${alg} key, which stays non-extractable`, async () => {
      const { privateJwk, publicJwk } = await generateSigningKey(alg, 'acme-staff');
      const file = parseKeyFile(JSON.stringify({ ...privateJwk, purposes: ['authentication'] }));
      expect(file).toMatchObject({ kid: 'acme-staff', alg });
      const key = await importSigningKey(file);
      expect(key.extractable).toBe(false);
      await expect(crypto.subtle.exportKey('jwk', key)).rejects.toThrow();
      const assertion = await signClientAssertion({
        key,
        alg,
        kid: file.kid,
        clientId: 'acme',
        audience: ISSUER,
        now: NOW,
      });
      const [header, claims] = assertion
        .split('.')
        .slice(0, 2)
        .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
      expect(header).toEqual({ alg, kid: 'acme-staff', typ: 'client-authentication+jwt' });
      expect(claims).toMatchObject({ iss: 'acme', sub: 'acme', aud: ISSUER, iat: NOW / 1000 });
      expect(claims.exp - claims.iat).toBe(ASSERTION_LIFETIME_SECONDS);
      expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const { principal } = await exchangeAccepts(assertion, publicJwk);
      expect(principal).toEqual({ kind: 'party', id: 'acme', roles: ['buyer'] });
    });
  }

  it('is refused by the exchange when signed by another key, expired or for another audience', async () => {
    const { privateJwk, publicJwk } = await generateSigningKey('EdDSA', 'acme-staff');
    const stranger = await generateSigningKey('EdDSA', 'acme-staff');
    const sign = async (jwk: object, over: { audience?: string; now?: number } = {}) => {
      const file = parseKeyFile(JSON.stringify(jwk));
      return signClientAssertion({
        key: await importSigningKey(file),
        alg: file.alg,
        kid: file.kid,
        clientId: 'acme',
        audience: over.audience ?? ISSUER,
        now: over.now ?? NOW,
      });
    };
    expect(await codeOf(exchangeAccepts(await sign(stranger.privateJwk), publicJwk))).toBe(
      'PDX_CLIENT_SIGNATURE_INVALID',
    );
    expect(await codeOf(exchangeAccepts(await sign(privateJwk, { now: NOW - 600_000 }), publicJwk))).toBe(
      'PDX_ASSERTION_EXPIRED',
    );
    expect(
      await codeOf(exchangeAccepts(await sign(privateJwk, { audience: 'http://elsewhere.test' }), publicJwk)),
    ).toBe('PDX_ASSERTION_AUDIENCE_INVALID');
  });

  it('refuses a file that is no private Ed25519 or P-256 key with a kid, saying which', async () => {
    const { privateJwk, publicJwk } = await generateSigningKey('EdDSA', 'k1');
    const keyOf = (text: string) => {
      try {
        parseKeyFile(text);
        return 'accepted';
      } catch (error) {
        return (error as ConsoleError).key;
      }
    };
    expect(keyOf('not json')).toBe('error.keyFile.json');
    expect(keyOf('[1]')).toBe('error.keyFile.json');
    expect(keyOf(JSON.stringify(publicJwk))).toBe('error.keyFile.notPrivate');
    expect(keyOf(JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB', d: 'y', kid: 'r' }))).toBe(
      'error.keyFile.kind',
    );
    const { kid: _kid, ...noKid } = privateJwk;
    expect(keyOf(JSON.stringify(noKid))).toBe('error.keyFile.kid');
    expect(keyOf(JSON.stringify(privateJwk))).toBe('accepted');
  });

  it('renews a minute before a token expires, or at 80% of a short-lived one', () => {
    expect(renewDelayMs(600)).toBe(540_000);
    expect(renewDelayMs(100)).toBe(80_000);
    expect(renewDelayMs(0)).toBe(1);
  });
});
