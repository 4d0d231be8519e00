import { PdxError, SchemaRegistry } from '@pdx/contracts';
import {
  CLIENT_ASSERTION_TYP,
  type ExchangeSigner,
  generateSigningKey,
  type KeyRecord,
  mintClientAssertion,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import { RuntimeError, silentLogger } from '@pdx/runtime';
import { importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessTokenVerifier,
  accessTokenVerifier,
  assertOperator,
  assertSelfOrOperator,
  authPlugin,
  type Principal,
} from './auth.js';
import { authenticateTokenRequest, issueAccessToken, type TokenRequestOptions } from './auth-oauth.js';
import { createHttpServer } from './http-server.js';

const ISSUER = 'http://pdx.test';
// A clock a test may set back, so that each test starts at the same instant.
const clock = {
  ms: Date.parse('2026-05-01T12:00:00Z'),
  now() {
    return this.ms;
  },
  advance(ms: number) {
    this.ms += ms;
  },
};
let exchange: { privateJwk: PrivateJwk; signer: ExchangeSigner };
let stranger: { privateJwk: PrivateJwk; signer: ExchangeSigner };
let verifier: AccessTokenVerifier;
const acme: Principal = { kind: 'party', id: 'acme', roles: ['partner'] };

const signerOf = async (privateJwk: PrivateJwk): Promise<ExchangeSigner> => ({
  key: (await importJWK({ ...privateJwk }, privateJwk.alg)) as ExchangeSigner['key'],
  kid: privateJwk.kid,
  alg: privateJwk.alg!,
});
const accessToken = (over: Partial<Parameters<typeof issueAccessToken>[1]> = {}, signer = exchange.signer) =>
  issueAccessToken(signer, {
    issuer: ISSUER,
    audience: 'pdx',
    principal: acme,
    now: clock.now(),
    ttlSeconds: 600,
    ...over,
  });
async function verifyCode(token: string, v = verifier): Promise<string> {
  try {
    await v.verify(token);
    return 'accepted';
  } catch (e) {
    return e instanceof PdxError ? e.code : `uncoded ${String(e)}`;
  }
}

beforeAll(async () => {
  const e = await generateSigningKey('EdDSA', 'exchange-1');
  exchange = { privateJwk: e.privateJwk, signer: await signerOf(e.privateJwk) };
  // Another key with the same kid: what a forger would publish.
  const s = await generateSigningKey('EdDSA', 'exchange-1');
  stranger = { privateJwk: s.privateJwk, signer: await signerOf(s.privateJwk) };
  verifier = await accessTokenVerifier({
    issuer: () => ISSUER,
    audience: 'pdx',
    keys: [e.publicJwk],
    clock,
    clockSkewSeconds: 30,
  });
});

describe('access tokens (RFC 9068, verified by RFC 8725)', () => {
  it('an issued token names the principal, its kind and roles, for its whole lifetime', async () => {
    const token = await accessToken();
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'EdDSA', kid: 'exchange-1' });
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: 'acme',
      client_id: 'acme',
      aud: 'pdx',
      pdx_kind: 'party',
      roles: ['partner'],
    });
    expect(payload.exp - payload.iat).toBe(600);
    expect(typeof payload.jti).toBe('string');
    expect(await verifier.verify(token)).toEqual(acme);
    clock.advance(599_000);
    expect(await verifier.verify(token)).toEqual(acme);
    clock.advance(-599_000);
  });

  it('PDX_AUTH_EXPIRED once it expired (beyond the skew), also when it was verified before', async () => {
    const token = await accessToken();
    expect(await verifyCode(token)).toBe('accepted');
    clock.advance(631_000);
    try {
      expect(await verifyCode(token)).toBe('PDX_AUTH_EXPIRED');
      expect(await verifyCode(await accessToken({ now: clock.now() - 700_000 }))).toBe('PDX_AUTH_EXPIRED');
    } finally {
      clock.advance(-631_000);
    }
  });

  it('PDX_AUTH_AUDIENCE_INVALID for another exchange, PDX_AUTH_ISSUER_INVALID for another issuer', async () => {
    expect(await verifyCode(await accessToken({ audience: 'other-exchange' }))).toBe(
      'PDX_AUTH_AUDIENCE_INVALID',
    );
    expect(await verifyCode(await accessToken({ issuer: 'http://elsewhere.test' }))).toBe(
      'PDX_AUTH_ISSUER_INVALID',
    );
  });

  it('PDX_AUTH_SIGNATURE_INVALID when signed by another key or tampered; PDX_AUTH_KEY_UNKNOWN for another kid', async () => {
    expect(await verifyCode(await accessToken({}, stranger.signer))).toBe('PDX_AUTH_SIGNATURE_INVALID');
    const [h, p, s] = (await accessToken()).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, pdx_kind: 'operator' })).toString('base64url');
    expect(await verifyCode(`${h}.${forged}.${s}`)).toBe('PDX_AUTH_SIGNATURE_INVALID');
    expect(await verifyCode(await accessToken({}, { ...stranger.signer, kid: 'exchange-2' }))).toBe(
      'PDX_AUTH_KEY_UNKNOWN',
    );
  });

  it('PDX_AUTH_TOKEN_INVALID: alg none, HS256, a key in the header, another typ, missing claims', async () => {
    const now = Math.floor(clock.now() / 1000);
    const claims = {
      iss: ISSUER,
      sub: 'acme',
      client_id: 'acme',
      aud: 'pdx',
      iat: now,
      exp: now + 60,
      jti: 'abcdefgh-1',
      pdx_kind: 'party',
      roles: [],
    };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(
      await verifyCode(`${b64({ alg: 'none', typ: 'at+jwt', kid: 'exchange-1' })}.${b64(claims)}.`),
    ).toBe('PDX_AUTH_TOKEN_INVALID');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'exchange-1' })
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    expect(await verifyCode(hs)).toBe('PDX_AUTH_TOKEN_INVALID');
    const withJwk = await new SignJWT(claims)
      .setProtectedHeader({
        alg: 'EdDSA',
        typ: 'at+jwt',
        kid: 'exchange-1',
        jwk: { kty: 'OKP', crv: 'Ed25519', x: stranger.privateJwk.x },
      })
      .sign(stranger.signer.key);
    expect(await verifyCode(withJwk)).toBe('PDX_AUTH_TOKEN_INVALID');
    // A client assertion (or any other JWS) signed with the exchange key is no access token.
    expect(await verifyCode(await signCompact(JSON.stringify(claims), exchange.privateJwk, 'JWT'))).toBe(
      'PDX_AUTH_TOKEN_INVALID',
    );
    const { pdx_kind: _k, ...noKind } = claims;
    expect(await verifyCode(await signCompact(JSON.stringify(noKind), exchange.privateJwk, 'at+jwt'))).toBe(
      'PDX_AUTH_TOKEN_INVALID',
    );
    expect(await verifyCode('not.a.token')).toBe('PDX_AUTH_TOKEN_INVALID');
  });
});

describe('access tokens checked against a JWKS URL', () => {
  it('fetches the keys it lacks, refuses a kid the JWKS lacks, and says when the JWKS is unreachable', async () => {
    const { createServer } = await import('node:http');
    const rotated = await generateSigningKey('ES256', 'exchange-2');
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [rotated.publicJwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const remote = await accessTokenVerifier({
      issuer: () => ISSUER,
      audience: 'pdx',
      keys: [],
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      clock,
      clockSkewSeconds: 30,
    });
    try {
      const signed = await accessToken({}, await signerOf(rotated.privateJwk));
      expect(await remote.verify(signed)).toEqual(acme);
      expect(await remote.verify(signed)).toEqual(acme);
      expect(fetches).toBe(1);
      expect(await verifyCode(await accessToken(), remote)).toBe('PDX_AUTH_KEY_UNKNOWN');
    } finally {
      await new Promise((r) => server.close(r));
    }
    const unreachable = await accessTokenVerifier({
      issuer: () => ISSUER,
      audience: 'pdx',
      keys: [],
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      clock,
      clockSkewSeconds: 30,
    });
    expect(await verifyCode(await accessToken(), unreachable)).toBe('PDX_AUTH_KEYS_UNAVAILABLE');
  });
});

describe('the auth plugin', () => {
  const server = async (routes: (app: ReturnType<typeof createHttpServer>) => void, v = verifier) => {
    const app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
    await app.register(authPlugin, { verifier: v, realm: 'pdx' });
    await app.register(async (child) => routes(child as ReturnType<typeof createHttpServer>));
    await app.ready();
    return app;
  };

  it('refuses at registration a route that declares no access (fail closed)', async () => {
    await expect(server((app) => app.get('/v1/undeclared', async () => ({})))).rejects.toThrow(
      /GET \/v1\/undeclared declares no access/,
    );
  });

  it('refuses at registration a protected route where no verifier is configured', async () => {
    const app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
    await app.register(authPlugin, { verifier: undefined, realm: 'pdx', missingVerifier: 'set X' });
    app.get('/open', { config: { access: 'public' } }, async () => ({}));
    expect(() => app.get('/closed', { config: { access: 'authenticated' } }, async () => ({}))).toThrow(
      /GET \/closed needs access tokens checked, and set X/,
    );
    await app.close();
  });

  it('words a missing verifier as the configuration mistake it is: PDX_CONFIG_INVALID', async () => {
    const app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
    await app.register(authPlugin, { verifier: undefined, realm: 'pdx', missingVerifier: 'set X' });
    let error: unknown;
    try {
      app.get('/closed', { config: { access: 'party' } }, async () => ({}));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error).toMatchObject({ code: 'PDX_CONFIG_INVALID' });
    await app.close();
  });

  it('public routes need no token; others need one, set request.principal, and check the kind', async () => {
    const app = await server((a) => {
      a.get('/open', { config: { access: 'public' } }, async (r) => ({ principal: r.principal ?? null }));
      a.get('/any', { config: { access: 'authenticated' } }, async (r) => r.principal);
      a.get('/ops', { config: { access: 'operator' } }, async (r) => r.principal);
      a.get('/parties', { config: { access: 'party' } }, async (r) => r.principal);
    });
    const bearer = { authorization: `Bearer ${await accessToken()}` };
    const ops = {
      authorization: `Bearer ${await accessToken({ principal: { kind: 'operator', id: 'ops', roles: [] } })}`,
    };
    expect((await app.inject({ url: '/open' })).json()).toEqual({ principal: null });
    const anonymous = await app.inject({ url: '/any' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('PDX_AUTH_REQUIRED');
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="pdx"');
    expect((await app.inject({ url: '/any', headers: bearer })).json()).toEqual(acme);
    expect(
      (await app.inject({ url: '/any', headers: { authorization: 'Basic dXNlcjpwYXNz' } })).json().code,
    ).toBe('PDX_AUTH_REQUIRED');
    const expired = await app.inject({
      url: '/any',
      headers: { authorization: `Bearer ${await accessToken({ now: clock.now() - 3_600_000 })}` },
    });
    expect(expired.statusCode).toBe(401);
    expect(expired.headers['content-type']).toContain('application/problem+json');
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(expired.json().code).toBe('PDX_AUTH_EXPIRED');
    expect((await app.inject({ url: '/ops', headers: bearer })).json().code).toBe('PDX_FORBIDDEN');
    expect((await app.inject({ url: '/ops', headers: ops })).json()).toMatchObject({
      kind: 'operator',
      id: 'ops',
    });
    expect((await app.inject({ url: '/parties', headers: ops })).json().code).toBe('PDX_ROLE_REQUIRED');
    expect((await app.inject({ url: '/parties', headers: bearer })).statusCode).toBe(200);
    await app.close();
  });
});

describe('authorization', () => {
  it('PDX_FORBIDDEN: parties are not operators and act only as themselves', () => {
    expect(() => assertOperator(acme)).toThrow(expect.objectContaining({ code: 'PDX_FORBIDDEN' }));
    expect(() => assertSelfOrOperator(acme, 'other')).toThrow(
      expect.objectContaining({ code: 'PDX_FORBIDDEN' }),
    );
    expect(() => assertSelfOrOperator(acme, 'acme')).not.toThrow();
    expect(() => assertSelfOrOperator({ kind: 'operator', id: 'ops', roles: [] }, 'other')).not.toThrow();
  });
});

describe('token requests (client credentials, private_key_jwt)', () => {
  let partyKey: PrivateJwk;
  let operatorKey: PrivateJwk;
  let revokedKey: PrivateJwk;
  let signingOnlyKey: PrivateJwk;
  let unregisteredKey: PrivateJwk;
  const seen = new Set<string>();
  let options: TokenRequestOptions;

  beforeAll(async () => {
    partyKey = (await generateSigningKey('EdDSA', 'p1')).privateJwk;
    operatorKey = (await generateSigningKey('ES256', 'o1')).privateJwk;
    revokedKey = (await generateSigningKey('EdDSA', 'old')).privateJwk;
    signingOnlyKey = (await generateSigningKey('EdDSA', 'signing')).privateJwk;
    unregisteredKey = (await generateSigningKey('EdDSA', 'p1')).privateJwk;
    const pub = ({ d: _d, ...jwk }: PrivateJwk) => jwk;
    const keys: (KeyRecord & { purposes?: ('authentication' | 'signing')[] })[] = [
      { jwk: pub(partyKey), addedAt: '2026-01-01T00:00:00Z' },
      { jwk: pub(revokedKey), addedAt: '2026-01-01T00:00:00Z', revokedFrom: '2026-04-01T00:00:00Z' },
      { jwk: pub(signingOnlyKey), addedAt: '2026-01-01T00:00:00Z', purposes: ['signing'] },
    ];
    options = {
      issuer: ISSUER,
      clients: {
        operators: [{ id: 'ops', jwks: { keys: [pub(operatorKey)] } }],
        party: async (id) => (id === 'acme' ? { keys, roles: ['partner'] } : undefined),
      },
      replay: {
        claim: async (iss, jti) => {
          const k = `${iss} ${jti}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        },
      },
      clock,
      clockSkewSeconds: 30,
    };
  });

  const form = (assertion: string, extra: Record<string, string> = {}) =>
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      ...extra,
    });
  const assertion = (over: Partial<Parameters<typeof mintClientAssertion>[0]> = {}) =>
    mintClientAssertion({
      privateJwk: partyKey,
      clientId: 'acme',
      audience: ISSUER,
      now: clock.now(),
      ...over,
    });
  async function code(body: URLSearchParams): Promise<string> {
    try {
      await authenticateTokenRequest(body, options);
      return 'accepted';
    } catch (e) {
      return e instanceof PdxError ? e.code : `uncoded ${String(e)}`;
    }
  }

  it('authenticates a party by its key, once per assertion; an operator by its configured key', async () => {
    const once = form(await assertion());
    expect((await authenticateTokenRequest(once, options)).principal).toEqual(acme);
    expect(await code(once)).toBe('PDX_ASSERTION_REPLAYED');
    const ops = form(
      await assertion({ privateJwk: operatorKey, clientId: 'ops', audience: `${ISSUER}/oauth/token` }),
    );
    expect((await authenticateTokenRequest(ops, options)).principal).toEqual({
      kind: 'operator',
      id: 'ops',
      roles: [],
    });
  });

  it('refuses each bad client assertion with its own code, and none uses up its jti', async () => {
    const jti = 'retry-after-the-fix';
    expect(await code(form(await assertion({ jti, now: clock.now() - 10 * 60_000 })))).toBe(
      'PDX_ASSERTION_EXPIRED',
    );
    expect(await code(form(await assertion({ jti, audience: 'http://other.test' })))).toBe(
      'PDX_ASSERTION_AUDIENCE_INVALID',
    );
    expect(await code(form(await assertion({ jti, lifetimeSeconds: 3_600 })))).toBe('PDX_ASSERTION_TOO_LONG');
    expect(await code(form(await assertion({ jti, privateJwk: unregisteredKey })))).toBe(
      'PDX_CLIENT_SIGNATURE_INVALID',
    );
    expect(await code(form(await assertion({ jti, privateJwk: { ...unregisteredKey, kid: 'nope' } })))).toBe(
      'PDX_CLIENT_KEY_UNKNOWN',
    );
    expect(await code(form(await assertion({ jti, privateJwk: revokedKey })))).toBe('PDX_CLIENT_KEY_REVOKED');
    expect(await code(form(await assertion({ jti, privateJwk: signingOnlyKey })))).toBe(
      'PDX_CLIENT_KEY_NOT_FOR_AUTH',
    );
    expect(await code(form(await assertion({ jti, clientId: 'nobody' })))).toBe('PDX_CLIENT_UNKNOWN');
    expect(await code(form(await assertion({ jti, now: clock.now() + 10 * 60_000 })))).toBe(
      'PDX_ASSERTION_INVALID',
    );
    // Each refusal left the jti unused.
    expect(await code(form(await assertion({ jti })))).toBe('accepted');
  });

  it('PDX_ASSERTION_INVALID: alg none, HS256, a key in the header, iss other than sub', async () => {
    const now = Math.floor(clock.now() / 1000);
    const claims = { iss: 'acme', sub: 'acme', aud: ISSUER, iat: now, exp: now + 60, jti: 'abcdefgh-2' };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', kid: 'p1' })}.${b64(claims)}.`;
    expect(await code(form(none))).toBe('PDX_ASSERTION_INVALID');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'p1' })
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    await expect(authenticateTokenRequest(form(hs), options)).rejects.toMatchObject({
      code: 'PDX_ASSERTION_INVALID',
      message: expect.stringContaining('PDX_JWS_ALG_NOT_ALLOWED'),
    });
    const key = await importJWK({ ...unregisteredKey }, 'EdDSA');
    const embedded = await new SignJWT(claims)
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: 'p1',
        jwk: { kty: 'OKP', crv: 'Ed25519', x: unregisteredKey.x },
      })
      .sign(key);
    await expect(authenticateTokenRequest(form(embedded), options)).rejects.toMatchObject({
      code: 'PDX_ASSERTION_INVALID',
      message: expect.stringContaining('PDX_JWS_EMBEDDED_KEY'),
    });
    const other = await signCompact(
      JSON.stringify({ ...claims, sub: 'globex' }),
      partyKey,
      CLIENT_ASSERTION_TYP,
    );
    expect(await code(form(other))).toBe('PDX_ASSERTION_INVALID');
    // An access token is not a client assertion.
    const at = await signCompact(JSON.stringify(claims), partyKey, 'at+jwt');
    expect(await code(form(at))).toBe('PDX_ASSERTION_INVALID');
  });

  it('refuses a malformed request: grant type, assertion type, repeated or missing parameters, client_id, scope', async () => {
    const a = await assertion();
    expect(await code(form(a, { grant_type: 'password' }))).toBe('PDX_OAUTH_GRANT_UNSUPPORTED');
    expect(await code(new URLSearchParams({ client_assertion: a }))).toBe('PDX_OAUTH_REQUEST_INVALID');
    expect(await code(form(a, { client_assertion_type: 'urn:other' }))).toBe('PDX_OAUTH_REQUEST_INVALID');
    const twice = form(a);
    twice.append('client_assertion', a);
    expect(await code(twice)).toBe('PDX_OAUTH_REQUEST_INVALID');
    expect(await code(form(a, { client_id: 'globex' }))).toBe('PDX_OAUTH_REQUEST_INVALID');
    expect(await code(form(a, { scope: 'bad"scope' }))).toBe('PDX_OAUTH_SCOPE_INVALID');
    const ok = await authenticateTokenRequest(
      form(a, { client_id: 'acme', scope: 'unknown-scope' }),
      options,
    );
    expect(ok.scope).toBeUndefined();
  });
});
