import { eventually } from '@pdx/bus/testing';
import type { PublicJwk } from '@pdx/contracts';
import { generateSigningKey, mintClientAssertion, type PrivateJwk, signCompact } from '@pdx/crypto';
import { directoryService } from '@pdx/directory';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ManualClock } from '@pdx/runtime';
import type { DocumentStore } from '@pdx/store';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens, tokenForm, viaHost } from './access-tokens.js';
import { hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

type Who = 'ops' | 'acme' | 'globex';
const ISSUER = 'http://pdx.test';

/**
 * The token flow end to end: intake's token endpoint and metadata, the access token accepted by
 * another host (status) for its whole lifetime with no write per call, and every bad input of
 * the client assertion and of the access token refused with its own code, changing nothing.
 */
export function tokenFlowSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`token flow: ${name}`, () => {
    const clock = new ManualClock('2027-05-01T08:00:00Z');
    let target: SliceTarget;
    let intake: Host;
    let status: Host;
    let intakeStore: DocumentStore;
    const keys = new Map<Who | 'acme-old', { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    const tokens = accessTokens({
      now: () => clock.now(),
      keyOf: (who) => keys.get(who as Who)!.privateJwk,
      transport: viaHost(() => intake),
    });
    const post = (form: string, contentType = 'application/x-www-form-urlencoded') =>
      intake.http.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': contentType },
        payload: form,
      });
    const assertion = (
      who: Who | 'acme-old',
      over: Partial<Parameters<typeof mintClientAssertion>[0]> = {},
    ) =>
      mintClientAssertion({
        privateJwk: keys.get(who)!.privateJwk,
        clientId: who === 'acme-old' ? 'acme' : who,
        audience: ISSUER,
        now: clock.now(),
        ...over,
      });
    /** Token ids intake remembers: one per accepted token request, none per call. */
    const remembered = async () =>
      (await (await intakeStore.collection({ name: 'auth_seen_tokens', indexes: [] })).find({})).length;
    const as = async (who: Who, method: 'GET' | 'POST', url: string, on: Host, body?: unknown) =>
      on.http.inject({
        method,
        url,
        headers: {
          authorization: await tokens.authorization(who),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'acme', 'acme-old', 'globex'] as const)
        keys.set(who, await generateSigningKey(who === 'globex' ? 'ES256' : 'EdDSA', `${who}-1`));
      const { env } = await hostEnv(target, keys.get('ops')!.publicJwk, { PDX_PUBLIC_URL: ISSUER });
      intake = await startHost('pdx-intake', [intakeService], env, clock);
      status = await startHost('pdx-directory', [directoryService], env, clock);
      intakeStore = await target.openStore('intake');
      const register = async (partyId: Who, roles: string[], jwks: PublicJwk[]) => {
        const res = await as('ops', 'POST', '/v1/parties', intake, {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: jwks },
        });
        expect(res.statusCode, res.body).toBe(201);
      };
      await register('acme', ['partner'], [keys.get('acme')!.publicJwk, keys.get('acme-old')!.publicJwk]);
      await register('globex', ['buyer'], [keys.get('globex')!.publicJwk]);
    });
    afterAll(async () => {
      await intakeStore?.close();
      await status?.stop();
      await intake?.stop();
      await target?.cleanup?.();
    });

    it('publishes RFC 8414 metadata and answers a token request per RFC 6749 §5.1', async () => {
      const meta = await intake.http.inject({
        method: 'GET',
        url: '/.well-known/oauth-authorization-server',
      });
      expect(meta.statusCode).toBe(200);
      expect(meta.json()).toMatchObject({
        issuer: ISSUER,
        token_endpoint: `${ISSUER}/oauth/token`,
        jwks_uri: `${ISSUER}/.well-known/jwks.json`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['EdDSA', 'ES256'],
      });
      const res = await post(
        tokenForm(await assertion('globex'), { client_id: 'globex', scope: 'anything' }),
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600 });
      // The token is signed with a key of the JWKS intake publishes.
      const jwks = (await intake.http.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      const kid = JSON.parse(Buffer.from(res.json().access_token.split('.')[0], 'base64url').toString()).kid;
      expect(jwks.keys.map((k: PublicJwk) => k.kid)).toContain(kid);
    });

    it('serves every call of its lifetime on another host, with no write per call', async () => {
      await tokens.tokenFor('globex');
      const before = await remembered();
      await eventually(
        async () => expect((await as('globex', 'GET', '/v1/parties/acme', status)).statusCode).toBe(200),
        30_000,
      );
      for (let i = 0; i < 20; i++)
        expect((await as('globex', 'GET', '/v1/parties/acme', status)).statusCode).toBe(200);
      expect(await remembered()).toBe(before);
    });

    it('refuses each bad client assertion with its own error and remembers nothing', async () => {
      const now = Math.floor(clock.now() / 1000);
      const claims = { iss: 'acme', sub: 'acme', aud: ISSUER, iat: now, exp: now + 60, jti: 'bad-input-1' };
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const stranger = (await generateSigningKey('EdDSA', 'acme-1')).privateJwk;
      const used = await assertion('acme');
      expect((await post(tokenForm(used))).statusCode).toBe(200);
      const before = await remembered();
      const cases: [string, string, number, string][] = [
        ['expired', await assertion('acme', { now: clock.now() - 600_000 }), 401, 'PDX_ASSERTION_EXPIRED'],
        ['replayed', used, 401, 'PDX_ASSERTION_REPLAYED'],
        [
          'for another audience',
          await assertion('acme', { audience: 'http://other.test' }),
          401,
          'PDX_ASSERTION_AUDIENCE_INVALID',
        ],
        [
          'signed with an unknown key',
          await assertion('acme', { privateJwk: { ...stranger, kid: 'unknown' } }),
          401,
          'PDX_CLIENT_KEY_UNKNOWN',
        ],
        [
          'signed with another key under a known kid',
          await assertion('acme', { privateJwk: stranger }),
          401,
          'PDX_CLIENT_SIGNATURE_INVALID',
        ],
        ['alg none', `${b64({ alg: 'none', kid: 'acme-1' })}.${b64(claims)}.`, 401, 'PDX_ASSERTION_INVALID'],
        [
          'HS256',
          await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256', kid: 'acme-1' })
            .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef')),
          401,
          'PDX_ASSERTION_INVALID',
        ],
        [
          'an access token',
          await signCompact(JSON.stringify(claims), keys.get('acme')!.privateJwk, 'at+jwt'),
          401,
          'PDX_ASSERTION_INVALID',
        ],
      ];
      for (const [what, bad, statusCode, code] of cases) {
        const res = await post(tokenForm(bad));
        expect(res.statusCode, what).toBe(statusCode);
        expect(res.headers['content-type'], what).toContain('application/json');
        expect(res.headers['cache-control'], what).toBe('no-store');
        expect(res.json(), what).toMatchObject({
          error: 'invalid_client',
          code,
          error_description: expect.any(String),
        });
      }
      const malformed: [string, ReturnType<typeof post>, string, string][] = [
        [
          'JSON instead of a form',
          post(JSON.stringify({ grant_type: 'client_credentials' }), 'application/json'),
          'invalid_request',
          'PDX_OAUTH_REQUEST_INVALID',
        ],
        [
          'another media type',
          post('grant_type=client_credentials', 'text/plain'),
          'invalid_request',
          'PDX_OAUTH_REQUEST_INVALID',
        ],
        [
          'another grant type',
          post(tokenForm(await assertion('acme'), { grant_type: 'password' })),
          'unsupported_grant_type',
          'PDX_OAUTH_GRANT_UNSUPPORTED',
        ],
        [
          'no assertion',
          post('grant_type=client_credentials'),
          'invalid_request',
          'PDX_OAUTH_REQUEST_INVALID',
        ],
        [
          'a client_id other than iss',
          post(tokenForm(await assertion('acme'), { client_id: 'globex' })),
          'invalid_request',
          'PDX_OAUTH_REQUEST_INVALID',
        ],
      ];
      for (const [what, answer, error, code] of malformed) {
        const res = await answer;
        expect(res.statusCode, what).toBe(400);
        expect(res.json(), what).toMatchObject({ error, code });
      }
      expect(await remembered()).toBe(before);
    });

    it('a revoked key gets no new token; its token lasts until it expires, then PDX_AUTH_EXPIRED', async () => {
      const old = await mintClientAssertion({
        privateJwk: keys.get('acme-old')!.privateJwk,
        clientId: 'acme',
        audience: ISSUER,
        now: clock.now(),
      });
      const issued = (await post(tokenForm(old))).json().access_token as string;
      const revoked = await as('acme', 'POST', '/v1/parties/acme/keys/acme-old-1/revocation', intake, {
        reason: 'retired',
      });
      expect(revoked.statusCode, revoked.body).toBe(200);
      const refused = await post(tokenForm(await assertion('acme-old')));
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ error: 'invalid_client', code: 'PDX_CLIENT_KEY_REVOKED' });
      const read = (token: string) =>
        status.http.inject({
          method: 'GET',
          url: '/v1/parties/globex',
          headers: { authorization: `Bearer ${token}` },
        });
      await eventually(async () => expect((await read(issued)).statusCode).toBe(200), 30_000);
      clock.advance(631_000);
      const expired = await read(issued);
      expect(expired.statusCode).toBe(401);
      expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(expired.json().code).toBe('PDX_AUTH_EXPIRED');
      tokens.forget();
    });

    it('refuses a tampered access token, and one party\u2019s token on another\u2019s resources', async () => {
      const token = await tokens.tokenFor('acme');
      const [h, p, s] = token.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const raised = Buffer.from(JSON.stringify({ ...claims, pdx_kind: 'operator' })).toString('base64url');
      const tampered = await intake.http.inject({
        method: 'POST',
        url: '/v1/parties',
        headers: { authorization: `Bearer ${h}.${raised}.${s}`, 'content-type': 'application/json' },
        payload: JSON.stringify({
          partyId: 'evil',
          legalName: 'evil',
          country: 'DE',
          roles: ['buyer'],
          jwks: { keys: [keys.get('acme')!.publicJwk] },
        }),
      });
      expect(tampered.statusCode).toBe(401);
      expect(tampered.json().code).toBe('PDX_AUTH_SIGNATURE_INVALID');
      const other = await as('acme', 'POST', '/v1/parties/globex/keys', intake, keys.get('acme')!.publicJwk);
      expect(other.statusCode).toBe(403);
      expect(other.json().code).toBe('PDX_FORBIDDEN');
      const globex = await as('ops', 'GET', '/v1/parties/globex', status);
      expect(globex.json().keys).toHaveLength(1);
      expect((await as('ops', 'GET', '/v1/parties/evil', status)).statusCode).toBe(404);
    });
  });
}
