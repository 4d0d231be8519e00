import { readFileSync } from 'node:fs';
import { eventually, sampleJwk } from '@pdx/bus/testing';
import { type PartyRegistration, topics } from '@pdx/contracts';
import { DECLARATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import { directoryService } from '@pdx/directory';
import { createHost, type Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { silentLogger } from '@pdx/runtime';
import { compactVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { obtainToken, requestToken, viaHost } from './access-tokens.js';
import type { SliceTarget } from './targets.js';

/** The private half of sampleJwk (RFC 8037 appendix A.1): acme signs with it in tests. */
export const acmePrivateJwk = {
  ...sampleJwk,
  d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
} as PrivateJwk;

export const acme: PartyRegistration = {
  partyId: 'acme-logistics',
  legalName: 'ACME Logistics GmbH',
  country: 'DE',
  identifiers: [
    { scheme: 'EORI', value: 'DE123456789012345' },
    { scheme: 'LEI', value: '5493001KJTIIGC8Y1R12' },
  ],
  roles: ['partner'],
  jwks: { keys: [{ ...sampleJwk }] },
};

/** Each bad input: the problem it must produce. */
export const badInputs: { name: string; body: unknown; status: number; code: string; pointer: string }[] = [
  {
    name: 'missing legalName',
    body: { ...acme, legalName: undefined },
    status: 400,
    code: 'PDX_REQUEST_INVALID',
    pointer: '/legalName',
  },
  {
    name: 'unknown role',
    body: { ...acme, roles: ['smuggler'] },
    status: 400,
    code: 'PDX_REQUEST_INVALID',
    pointer: '/roles/0',
  },
  {
    name: 'unexpected field',
    body: { ...acme, password: 'x' },
    status: 400,
    code: 'PDX_REQUEST_INVALID',
    pointer: '/password',
  },
  {
    name: 'bad party id',
    body: { ...acme, partyId: 'ACME Corp' },
    status: 400,
    code: 'PDX_REQUEST_INVALID',
    pointer: '/partyId',
  },
  {
    name: 'RSA key',
    body: { ...acme, jwks: { keys: [{ kty: 'RSA', kid: 'r', n: 'AQAB', e: 'AQAB' }] } },
    status: 400,
    code: 'PDX_REQUEST_INVALID',
    pointer: '/jwks/keys/0/kty',
  },
  {
    name: 'private key',
    body: { ...acme, jwks: { keys: [{ ...sampleJwk, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' }] } },
    status: 400,
    code: 'PDX_PRIVATE_KEY_MATERIAL',
    pointer: '/jwks/keys/0/d',
  },
  {
    name: 'symmetric key',
    body: { ...acme, jwks: { keys: [{ kty: 'oct', kid: 's', k: 'c2VjcmV0' }] } },
    status: 400,
    code: 'PDX_PRIVATE_KEY_MATERIAL',
    pointer: '/jwks/keys/0/k',
  },
  {
    name: 'EC point off the curve',
    body: {
      ...acme,
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', kid: 'e', x: 'A'.repeat(43), y: 'A'.repeat(43) }] },
    },
    status: 400,
    code: 'PDX_JWK_INVALID',
    pointer: '/jwks/keys/0/x',
  },
  {
    name: 'LEI check digits',
    body: { ...acme, identifiers: [{ scheme: 'LEI', value: '5493001KJTIIGC8Y1R13' }] },
    status: 400,
    code: 'PDX_IDENTIFIER_INVALID',
    pointer: '/identifiers/0/value',
  },
  {
    name: 'EORI shape',
    body: { ...acme, identifiers: [{ scheme: 'EORI', value: '123' }] },
    status: 400,
    code: 'PDX_REQUEST_INVALID',
    pointer: '/identifiers/0/value',
  },
  {
    name: 'unknown country',
    body: { ...acme, country: 'XX' },
    status: 400,
    code: 'PDX_COUNTRY_UNKNOWN',
    pointer: '/country',
  },
];

/** The party slice end to end through one host running intake and status. */
export function partySliceSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`party slice: ${name}`, () => {
    let host: Host;
    let target: SliceTarget;
    let operatorKey: PrivateJwk;
    beforeAll(async () => {
      target = await makeTarget();
      const operator = await generateSigningKey('ES256', 'ops-key-1');
      operatorKey = operator.privateJwk;
      host = await createHost({
        name: 'pdx-test',
        services: [intakeService, directoryService],
        env: {
          ...target.env,
          PORT: '0',
          PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [operator.publicJwk] } }]),
        },
        logger: silentLogger(),
      });
      await host.start();
    });
    const tokens = viaHost(() => host);
    const opsToken = { value: undefined as string | undefined };
    const bearer = async (as: 'ops' | 'acme' = 'ops', key?: PrivateJwk) => {
      // The operator's token is reused, as a client does; a party's is new each time (its keys change).
      if (as === 'ops' && !key) opsToken.value ??= await obtainToken(tokens, 'ops', operatorKey);
      return `Bearer ${
        as === 'ops' && !key
          ? opsToken.value
          : await obtainToken(
              tokens,
              as === 'ops' ? 'ops' : 'acme-logistics',
              key ?? (as === 'ops' ? operatorKey : acmePrivateJwk),
            )
      }`;
    };
    const get = async (url: string, authorization?: string) =>
      host.http.inject({ method: 'GET', url, headers: { authorization: authorization ?? (await bearer()) } });
    afterAll(async () => {
      await host?.stop();
      await target?.cleanup?.();
    });

    const post = async (
      body: unknown,
      contentType = 'application/json',
      authorization?: string,
      url = '/v1/parties',
    ) =>
      host.http.inject({
        method: 'POST',
        url,
        headers: { 'content-type': contentType, authorization: authorization ?? (await bearer()) },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });

    it('authenticates every call: no token and a tampered token are refused, a token serves many calls', async () => {
      const anonymous = await host.http.inject({ method: 'POST', url: '/v1/parties', payload: acme });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toContain('Bearer');
      expect(anonymous.json().code).toBe('PDX_AUTH_REQUIRED');
      const token = await bearer();
      expect((await get('/v1/parties/acme-logistics', token)).statusCode).toBe(404);
      // An access token is good for every call until it expires.
      expect((await get('/v1/parties/acme-logistics', token)).statusCode).toBe(404);
      expect((await host.http.inject({ method: 'GET', url: '/v1/parties/acme-logistics' })).json().code).toBe(
        'PDX_AUTH_REQUIRED',
      );
      const [h, p, sig] = token.slice('Bearer '.length).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone' })).toString('base64url')}.${sig}`;
      const refused = await post(acme, 'application/json', `Bearer ${tampered}`);
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(refused.json().code).toBe('PDX_AUTH_SIGNATURE_INVALID');
      expect(await target.countPublished(host.bus)).toBe(0);
    });

    it('refuses every bad input with a specific problem and publishes nothing', async () => {
      for (const bad of badInputs) {
        const res = await post(bad.body);
        expect(res.statusCode, bad.name).toBe(bad.status);
        expect(res.headers['content-type'], bad.name).toContain('application/problem+json');
        const problem = res.json();
        expect(problem.code, bad.name).toBe(bad.code);
        expect(problem.pointer, bad.name).toBe(bad.pointer);
        expect(problem.type, bad.name).toMatch(/^urn:pdx:problem:/);
      }
      expect((await post('{"partyId":')).json().code).toBe('PDX_REQUEST_MALFORMED');
      expect((await post('{}', 'application/json', await bearer('ops'))).json().code).toBe(
        'PDX_REQUEST_INVALID',
      );
      const media = await post('partyId=acme', 'text/plain');
      expect(media.statusCode).toBe(415);
      expect(media.json().code).toBe('PDX_MEDIA_TYPE_UNSUPPORTED');
      expect(await target.countPublished(host.bus)).toBe(0);
    });

    it('registers a party, and the directory service serves it', async () => {
      const res = await post(acme);
      expect(res.statusCode).toBe(201);
      expect(res.headers.location).toBe('/v1/parties/acme-logistics');
      const created = res.json();
      expect(created).toMatchObject({
        partyId: 'acme-logistics',
        legalName: 'ACME Logistics GmbH',
        roles: ['partner'],
      });
      const got = await eventually(async () => {
        const r = await get('/v1/parties/acme-logistics');
        expect(r.statusCode).toBe(200);
        return r.json();
      });
      expect(got).toEqual(created);
      expect(await target.countPublished(host.bus)).toBe(1);
    });

    it('is idempotent for identical content and refuses different content with 409', async () => {
      const again = await post(acme);
      expect(again.statusCode).toBe(200);
      const conflict = await post({ ...acme, legalName: 'ACME Holding AG' });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.json()).toMatchObject({ code: 'PDX_PARTY_CONFLICT', pointer: '/partyId' });
      expect(conflict.json().detail).toContain('legalName differs');
      expect(conflict.json().errors).toEqual([
        {
          pointer: '/legalName',
          detail: 'legalName is registered as "ACME Logistics GmbH", this request has "ACME Holding AG"',
        },
      ]);
      expect(await target.countPublished(host.bus)).toBe(1);
    });

    it('lets the registered party rotate and revoke its keys, but not register parties', async () => {
      const forbidden = await post({ ...acme, partyId: 'acme-2' }, 'application/json', await bearer('acme'));
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().code).toBe('PDX_FORBIDDEN');

      const next = await generateSigningKey('ES256', 'acme-2027');
      const added = await post(
        next.publicJwk,
        'application/json',
        await bearer('acme'),
        '/v1/parties/acme-logistics/keys',
      );
      expect(added.statusCode).toBe(201);
      const smuggled = await post(
        next.privateJwk,
        'application/json',
        await bearer('acme'),
        '/v1/parties/acme-logistics/keys',
      );
      expect(smuggled.json()).toMatchObject({ code: 'PDX_PRIVATE_KEY_MATERIAL', pointer: '/d' });
      const otherParty = await post(
        next.publicJwk,
        'application/json',
        await bearer('acme'),
        '/v1/parties/someone-else/keys',
      );
      expect(otherParty.json().code).toBe('PDX_FORBIDDEN');

      // Rotate: the new key authenticates; then the old one is revoked and stops working.
      const revoked = await post(
        { reason: 'superseded' },
        'application/json',
        await bearer('acme', { ...next.privateJwk, kid: 'acme-2027' }),
        `/v1/parties/acme-logistics/keys/${sampleJwk.kid}/revocation`,
      );
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ revocationReason: 'superseded' });
      const stale = await requestToken(tokens, 'acme-logistics', acmePrivateJwk);
      expect(stale.status).toBe(401);
      expect(stale.body).toMatchObject({ error: 'invalid_client', code: 'PDX_CLIENT_KEY_REVOKED' });

      const view = await eventually(async () => {
        const r = await get('/v1/parties/acme-logistics');
        expect(r.json().keys).toHaveLength(2);
        expect(r.json().keys[0].revokedFrom).toBeDefined();
        return r.json();
      });
      expect(view.jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(['acme-2027']);
      expect(await target.countPublished(host.bus)).toBe(3);
    });

    it('exchanges a signed Declaration of Security between linked partners, with consent', async () => {
      const keyOf = async (kid: string) => generateSigningKey('EdDSA', kid);
      const partner = await keyOf('initech-1');
      const buyer = await keyOf('globex-1');
      const stranger = await keyOf('umbrella-1');
      const reg = (partyId: string, roles: string[], jwk: unknown) =>
        post({ partyId, legalName: partyId, country: 'DE', roles, jwks: { keys: [jwk] } });
      expect((await reg('initech', ['partner'], partner.publicJwk)).statusCode).toBe(201);
      expect((await reg('globex', ['buyer'], buyer.publicJwk)).statusCode).toBe(201);
      expect((await reg('umbrella', ['buyer'], stranger.publicJwk)).statusCode).toBe(201);
      const as = async (id: string, key: PrivateJwk) => `Bearer ${await obtainToken(tokens, id, key)}`;
      const send = async (url: string, auth: string, body?: unknown, contentType = 'application/json') =>
        host.http.inject({
          method: 'POST',
          url,
          headers:
            body === undefined
              ? { authorization: auth }
              : { authorization: auth, 'content-type': contentType },
          ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
        });

      const template = parseYaml(
        readFileSync(new URL('../../packages/cli/examples/declaration.yaml', import.meta.url), 'utf8'),
      ) as Record<string, unknown>;
      const now = Date.now();
      const declaration = {
        ...template,
        declarationId: 'dos-1',
        issuer: 'initech',
        recipients: ['globex'],
        issuedAt: new Date(now - 60_000).toISOString(),
        validity: {
          from: new Date(now - 86_400_000).toISOString(),
          until: new Date(now + 365 * 86_400_000).toISOString(),
        },
      };
      const jws = await signCompact(JSON.stringify(declaration), partner.privateJwk, DECLARATION_TYP);
      const submit = async (token: string, body = jws) =>
        send('/v1/declarations', token, body, 'application/jose');

      // Not yet linked: the recipient is refused, with the full report.
      const early = await submit(await as('initech', partner.privateJwk));
      expect(early.statusCode).toBe(400);
      expect(early.json()).toMatchObject({ code: 'PDX_RECIPIENT_NOT_LINKED', pointer: '/recipients/0' });
      expect(early.json().verification.verdict).toBe('VALID');
      // A recipient that is not registered at all (a typo) is said so, at its pointer.
      const typo = await signCompact(
        JSON.stringify({ ...declaration, recipients: ['globex', 'globx'] }),
        partner.privateJwk,
        DECLARATION_TYP,
      );
      const unknown = await submit(await as('initech', partner.privateJwk), typo);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ code: 'PDX_RECIPIENT_UNKNOWN', pointer: '/recipients/1' });
      expect(unknown.json().detail).toContain('globx is not a party registered on the exchange');

      // Accepting a link that was never offered; a partner offering; the buyer offering.
      const link = '/v1/relationships/globex~initech';
      const notOffered = await send(`${link}/acceptance`, await as('initech', partner.privateJwk));
      expect(notOffered.statusCode).toBe(409);
      expect(notOffered.json().code).toBe('PDX_RELATIONSHIP_NOT_OFFERED');
      const scope = { functions: ['warehouse'], locations: ['DEHAM'] };
      const wrongRole = await send('/v1/relationships', await as('initech', partner.privateJwk), {
        partnerId: 'globex',
        scopeOfService: scope,
      });
      expect(wrongRole.json().code).toBe('PDX_ROLE_REQUIRED');
      const offered = await send('/v1/relationships', await as('globex', buyer.privateJwk), {
        partnerId: 'initech',
        scopeOfService: scope,
      });
      expect(offered.statusCode).toBe(201);
      expect(offered.json()).toMatchObject({ relationshipId: 'globex~initech', state: 'offered' });
      const byBuyer = await send(`${link}/acceptance`, await as('globex', buyer.privateJwk));
      expect(byBuyer.json().code).toBe('PDX_FORBIDDEN');
      const accepted = await send(`${link}/acceptance`, await as('initech', partner.privateJwk));
      expect(accepted.json()).toMatchObject({ state: 'accepted' });
      // The same offer again (a list sent twice) changes nothing: 200 with the link as it is.
      const again = await send('/v1/relationships', await as('globex', buyer.privateJwk), {
        partnerId: 'initech',
        scopeOfService: { locations: ['DEHAM'], functions: ['warehouse'] },
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ relationshipId: 'globex~initech', state: 'accepted' });

      // Submit: 202 with every check VALID; again: 200; same id, other content: 409.
      const ok = await submit(await as('initech', partner.privateJwk));
      expect(ok.statusCode).toBe(202);
      expect(ok.json().verification.checks.map((c: { status: string }) => c.status)).toEqual([
        'VALID',
        'VALID',
        'VALID',
        'VALID',
        'VALID',
      ]);
      expect((await submit(await as('initech', partner.privateJwk))).statusCode).toBe(200);
      const changed = await signCompact(
        JSON.stringify({ ...declaration, signatory: { name: 'X', title: 'Y', authority: 'Z' } }),
        partner.privateJwk,
        DECLARATION_TYP,
      );
      expect((await submit(await as('initech', partner.privateJwk), changed)).json().code).toBe(
        'PDX_DECLARATION_CONFLICT',
      );
      // Submitting another party's declaration is the issuer mismatch, not a signature failure
      // (its signature cannot verify with the submitter's keys); then one issued in another's name.
      const foreign = await submit(await as('umbrella', stranger.privateJwk));
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json()).toMatchObject({ code: 'PDX_ISSUER_MISMATCH', pointer: '/issuer' });
      expect(foreign.json().detail).toContain('the declaration is issued by initech');
      expect(foreign.json().verification.checks.map((c: { status: string }) => c.status)).toEqual([
        'SKIPPED',
        'SKIPPED',
        'SKIPPED',
        'INVALID',
        'SKIPPED',
      ]);
      const impersonation = await signCompact(
        JSON.stringify(declaration),
        stranger.privateJwk,
        DECLARATION_TYP,
      );
      expect((await submit(await as('umbrella', stranger.privateJwk), impersonation)).json().code).toBe(
        'PDX_ISSUER_MISMATCH',
      );

      // Every malformed or hostile submission is a specific 4xx, and publishes nothing.
      const before = await target.countPublished(host.bus, topics.declarations);
      const [h, p, sig] = jws.split('.') as [string, string, string];
      const header = (over: Record<string, unknown>) =>
        Buffer.from(
          JSON.stringify({ alg: 'EdDSA', kid: 'initech-1', typ: DECLARATION_TYP, ...over }),
        ).toString('base64url');
      // 64 signature bytes take 86 characters; the last one has 4 unused bits that lenient
      // decoders ignore: setting one gives a different text for the same bytes.
      const b64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const nonCanonical = (part: string) => part.slice(0, -1) + b64url[b64url.indexOf(part.at(-1)!) | 1];
      const hostile: [string, string, string][] = [
        ['two parts', `${h}.${p}`, 'PDX_JWS_MALFORMED'],
        ['padded', `${h}.${p}=.${sig}`, 'PDX_JWS_BASE64URL_INVALID'],
        ['non-canonical base64url', `${h}.${p}.${nonCanonical(sig)}`, 'PDX_JWS_BASE64URL_INVALID'],
        ['oversized header', `${header({ pad: 'x'.repeat(2_000) })}.${p}.${sig}`, 'PDX_JWS_HEADER_TOO_LARGE'],
        ['alg none', `${header({ alg: 'none' })}.${p}.`, 'PDX_JWS_ALG_NOT_ALLOWED'],
        ['alg HS256', `${header({ alg: 'HS256' })}.${p}.${sig}`, 'PDX_JWS_ALG_NOT_ALLOWED'],
        ['alg RS256', `${header({ alg: 'RS256' })}.${p}.${sig}`, 'PDX_JWS_ALG_NOT_ALLOWED'],
        ['embedded jwk', `${header({ jwk: partner.publicJwk })}.${p}.${sig}`, 'PDX_JWS_EMBEDDED_KEY'],
        ['jku', `${header({ jku: 'https://example.invalid/jwks' })}.${p}.${sig}`, 'PDX_JWS_EMBEDDED_KEY'],
        ['x5u', `${header({ x5u: 'https://example.invalid/cert' })}.${p}.${sig}`, 'PDX_JWS_EMBEDDED_KEY'],
        ['crit', `${header({ crit: ['b64'], b64: false })}.${p}.${sig}`, 'PDX_JWS_CRIT_UNSUPPORTED'],
        ['b64 false', `${header({ b64: false })}.${p}.${sig}`, 'PDX_JWS_B64_UNSUPPORTED'],
        ['bad signature', `${h}.${p}.${Buffer.alloc(64, 7).toString('base64url')}`, 'PDX_SIGNATURE_INVALID'],
        ['unknown kid', `${header({ kid: 'nope' })}.${p}.${sig}`, 'PDX_KEY_UNKNOWN'],
      ];
      for (const [name, body, code] of hostile) {
        const r = await submit(await as('initech', partner.privateJwk), body);
        expect(r.statusCode, name).toBe(400);
        expect(r.json().code, name).toBe(code);
        expect(r.json().verification.checks[0], name).toMatchObject({
          check: 'signature',
          status: 'INVALID',
          code,
        });
      }
      const schemaBad = await signCompact(
        JSON.stringify({ ...declaration, declarationId: 'dos-x', measures: {} }),
        partner.privateJwk,
        DECLARATION_TYP,
      );
      const schemaRes = await submit(await as('initech', partner.privateJwk), schemaBad);
      expect(schemaRes.json()).toMatchObject({ code: 'PDX_DECLARATION_INVALID', pointer: '/measures' });
      const expired = await signCompact(
        JSON.stringify({
          ...declaration,
          declarationId: 'dos-x',
          validity: { from: '2020-01-01T00:00:00Z', until: '2021-01-01T00:00:00Z' },
        }),
        partner.privateJwk,
        DECLARATION_TYP,
      );
      expect((await submit(await as('initech', partner.privateJwk), expired)).json().code).toBe(
        'PDX_VALIDITY_EXPIRED',
      );
      const tooEarly = await signCompact(
        JSON.stringify({
          ...declaration,
          declarationId: 'dos-x',
          validity: {
            from: new Date(now + 400 * 86_400_000).toISOString(),
            until: new Date(now + 800 * 86_400_000).toISOString(),
          },
        }),
        partner.privateJwk,
        DECLARATION_TYP,
      );
      expect((await submit(await as('initech', partner.privateJwk), tooEarly)).json().code).toBe(
        'PDX_VALIDITY_TOO_FAR_AHEAD',
      );
      const huge = await submit(
        await as('initech', partner.privateJwk),
        `${h}.${'A'.repeat(300 * 1024)}.${sig}`,
      );
      expect(huge.statusCode).toBe(413);
      expect(huge.json()).toMatchObject({
        code: 'PDX_PAYLOAD_TOO_LARGE',
        detail:
          'the request body is larger than the limit of 262144 bytes (256 KiB) set by PDX_DECLARATION_MAX_BYTES',
      });
      const asJson = await send('/v1/declarations', await as('initech', partner.privateJwk), { jws });
      expect(asJson.json().code).toBe('PDX_MEDIA_TYPE_UNSUPPORTED');
      const byOperator = await submit(await bearer());
      expect(byOperator.json().code).toBe('PDX_ROLE_REQUIRED');
      // Random mutations of the valid JWS never verify and never cause a 5xx.
      let seed = 7;
      const rand = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed % n;
      };
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=';
      for (let i = 0; i < 150; i++) {
        const chars = [...jws];
        for (let m = 0; m <= rand(3); m++) chars[rand(chars.length)] = alphabet[rand(alphabet.length)]!;
        const mutated = chars.join('');
        if (mutated === jws) continue;
        const r = await submit(await as('initech', partner.privateJwk), mutated);
        expect(r.statusCode, mutated).toBeGreaterThanOrEqual(400);
        expect(r.statusCode, mutated).toBeLessThan(500);
      }
      expect(await target.countPublished(host.bus, topics.declarations)).toBe(before);

      // A successor supersedes it; the buyer sees both, re-verifies the original JWS itself.
      const successor = await signCompact(
        JSON.stringify({ ...declaration, declarationId: 'dos-2', supersedes: 'dos-1' }),
        partner.privateJwk,
        DECLARATION_TYP,
      );
      expect((await submit(await as('initech', partner.privateJwk), successor)).statusCode).toBe(202);
      const seen = await eventually(async () => {
        const r = await get('/v1/declarations/initech/dos-1', await as('globex', buyer.privateJwk));
        expect(r.statusCode).toBe(200);
        expect(r.json().state).toBe('superseded');
        return r.json();
      });
      expect(seen.supersededBy).toBe('dos-2');
      const verified = await compactVerify(seen.jws, await importJWK(partner.publicJwk, 'EdDSA'));
      expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(declaration);
      const mine = await get('/v1/declarations', await as('initech', partner.privateJwk));
      expect(
        mine
          .json()
          .declarations.map((d: { declarationId: string }) => d.declarationId)
          .sort(),
      ).toEqual(['dos-1', 'dos-2']);
      // A buyer without a link sees nothing; after the partner ends the link, neither does globex.
      expect(
        (await get('/v1/declarations/initech/dos-1', await as('umbrella', stranger.privateJwk))).statusCode,
      ).toBe(404);
      expect((await send(`${link}/termination`, await as('initech', partner.privateJwk))).json().state).toBe(
        'ended',
      );
      await eventually(async () => {
        const r = await get('/v1/declarations/initech/dos-1', await as('globex', buyer.privateJwk));
        expect(r.statusCode).toBe(404);
      });

      // A key revoked from a moment on: what it signed before stays valid, after is refused.
      const second = await generateSigningKey('ES256', 'initech-2');
      expect(
        (await send('/v1/parties/initech/keys', await as('initech', partner.privateJwk), second.publicJwk))
          .statusCode,
      ).toBe(201);
      const revokedFrom = new Date(Date.now() - 30_000).toISOString();
      const revocation = await send(
        '/v1/parties/initech/keys/initech-1/revocation',
        await as('initech', second.privateJwk),
        {
          reason: 'compromised',
          revokedFrom,
        },
      );
      expect(revocation.json()).toMatchObject({ revokedFrom });
      const afterRevocation = await signCompact(
        JSON.stringify({ ...declaration, declarationId: 'dos-3', issuedAt: new Date().toISOString() }),
        partner.privateJwk,
        DECLARATION_TYP,
      );
      const refused = await submit(await as('initech', second.privateJwk), afterRevocation);
      expect(refused.json()).toMatchObject({ code: 'PDX_KEY_REVOKED' });
      expect(refused.json().verification.checks[1]).toMatchObject({
        check: 'key-valid-at-signing-time',
        status: 'INVALID',
      });
      // dos-1 reached the exchange within the compromise (after revokedFrom, before the
      // revocation was known): it never counted, and sending it again is refused now.
      const resent = await submit(await as('initech', second.privateJwk));
      expect(resent.statusCode).toBe(400);
      expect(resent.json()).toMatchObject({ code: 'PDX_KEY_REVOKED' });
    });

    it('serves the scheme catalogue to anyone, without a token', async () => {
      const res = await host.http.inject({ method: 'GET', url: '/v1/schemes' });
      expect(res.statusCode).toBe(200);
      const catalogue = res.json() as {
        catalogue: string;
        version: number;
        schemes: { schemeId: string; isoBasis: { clause: string }[]; reviewEvidence?: unknown }[];
      };
      expect(catalogue.catalogue).toBe('pdx-schemes');
      expect(catalogue.version).toBeGreaterThanOrEqual(1);
      const byId = new Map(catalogue.schemes.map((s) => [s.schemeId, s]));
      expect(byId.get('eu-aeo-aeos')?.isoBasis).toEqual([{ clause: '4.4(c)' }]);
      // Evidence only: it grounds nothing.
      expect(byId.get('iso-28000')?.isoBasis).toEqual([]);
      expect(byId.get('iso-28000')?.reviewEvidence).toBeDefined();
    });

    it('answers 404 problem+json for an unknown party and readiness for its dependencies', async () => {
      const res = await get('/v1/parties/nobody-here');
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('PDX_PARTY_NOT_FOUND');
      const ready = await host.http.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json()).toEqual({
        status: 'ready',
        checks: {
          eventLog: 'ok',
          'database:intake': 'ok',
          'database:directory': 'ok',
          startup: 'ok',
          consumers: 'ok',
        },
      });
    });
  });
}
