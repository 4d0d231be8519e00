import { eventually } from '@pdx/bus/testing';
import { type PublicJwk, topics } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import { directoryService } from '@pdx/directory';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ManualClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
type Key = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
type Who = 'ops' | 'globex' | 'acme' | 'zoll';

/**
 * Key purposes through HTTP: a party gives its staff a sign-in key (purposes
 * ["authentication"]); that key authenticates the party's calls, but what it signs — a
 * declaration, a certificate attestation — is refused with PDX_KEY_NOT_FOR_SIGNING and nothing
 * is recorded or published. Keys registered without purposes (as every key was before) sign
 * as before; bad purposes are refused with the pointer of the entry at fault.
 */
export function keyPurposesSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`key purposes: ${name}`, () => {
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    const t0 = clock.now();
    const at = (ms: number) => new Date(ms).toISOString();
    let target: SliceTarget;
    let host: Host;
    const keys = new Map<string, Key>();
    /** Who signs each party's calls: its signing key unless a test says otherwise. */
    const caller = new Map<string, string>();
    const { call, ok } = apiClient(clock, (who) => keys.get(caller.get(who) ?? `${who}-1`)!.privateJwk);
    const signIn = (jwk: PublicJwk) => ({ ...jwk, purposes: ['authentication'] });

    const declaration = (declarationId: string) => ({
      declarationId,
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
      validity: { from: at(t0 - DAY), until: at(t0 + 300 * DAY) },
      signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
      issuedAt: at(t0 - 60_000),
    });
    const attestation = (number: string) => ({
      schemeId: 'eu-aeo-aeos',
      number,
      holder: 'acme',
      issuer: 'zoll',
      scope: { functions: ['warehouse'] },
      validFrom: at(t0 - 100 * DAY),
      issuedAt: at(t0 - 60_000),
    });
    const signed = (payload: object, kid: string, typ: string) =>
      signCompact(JSON.stringify(payload), keys.get(kid)!.privateJwk, typ);
    const published = async (topic: string = topics.parties) => target.countPublished(host.bus, topic);
    const expectNotForSigning = (res: Awaited<ReturnType<typeof call>>, kid: string) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json();
      expect(problem).toMatchObject({
        code: 'PDX_KEY_NOT_FOR_SIGNING',
        type: 'urn:pdx:problem:key-not-for-signing',
      });
      expect(problem.detail).toContain(`key "${kid}" is registered for authentication only`);
      expect(problem.verification.checks.map((c: { status: string }) => c.status)).toEqual([
        'VALID',
        'INVALID',
        'SKIPPED',
        'SKIPPED',
        'SKIPPED',
      ]);
      expect(problem.verification.checks[1]).toMatchObject({
        check: 'key-valid-at-signing-time',
        code: 'PDX_KEY_NOT_FOR_SIGNING',
      });
    };

    beforeAll(async () => {
      target = await makeTarget();
      for (const kid of ['ops-1', 'globex-1', 'acme-1', 'acme-staff', 'acme-console', 'zoll-1', 'zoll-staff'])
        keys.set(kid, await generateSigningKey('EdDSA', kid));
      const { env } = await hostEnv(target, keys.get('ops-1')!.publicJwk);
      host = await startHost('pdx', [intakeService, directoryService], env, clock);
    }, 120_000);
    afterAll(async () => {
      await host?.stop();
      await target?.cleanup?.();
    });

    const registration = (partyId: Who, roles: string[], jwks: unknown[], extra = {}) => ({
      partyId,
      legalName: partyId,
      country: 'DE',
      roles,
      jwks: { keys: jwks },
      ...extra,
    });

    it('refuses bad purposes at registration and key addition with the pointer of the entry; publishes nothing', async () => {
      const acmeKey = keys.get('acme-1')!.publicJwk;
      const staffKey = keys.get('acme-staff')!.publicJwk;
      const bad: [unknown, string][] = [
        [[], '/jwks/keys/1/purposes'],
        [['signing', 'signing'], '/jwks/keys/1/purposes/1'],
        [['sealing'], '/jwks/keys/1/purposes/0'],
        ['authentication', '/jwks/keys/1/purposes'],
      ];
      for (const [purposes, pointer] of bad) {
        const res = await call(
          host,
          'POST',
          '/v1/parties',
          'ops',
          registration('acme', ['partner'], [acmeKey, { ...staffKey, purposes }]),
        );
        expect(res.statusCode, JSON.stringify(purposes)).toBe(400);
        expect(res.json()).toMatchObject({
          code: 'PDX_KEY_PURPOSES_INVALID',
          type: 'urn:pdx:problem:key-purposes-invalid',
          pointer,
        });
      }
      expect(await published()).toBe(0);
    });

    it("registers sign-in keys beside signing keys; the view shows each key's purposes and serves only keys that sign as the JWKS", async () => {
      await ok(
        host,
        'POST',
        '/v1/parties',
        'ops',
        registration('globex', ['buyer'], [keys.get('globex-1')!.publicJwk]),
      );
      const created = await ok(
        host,
        'POST',
        '/v1/parties',
        'ops',
        registration(
          'acme',
          ['partner'],
          [keys.get('acme-1')!.publicJwk, signIn(keys.get('acme-staff')!.publicJwk)],
        ),
      );
      await ok(
        host,
        'POST',
        '/v1/parties',
        'ops',
        registration(
          'zoll',
          ['issuer'],
          [keys.get('zoll-1')!.publicJwk, signIn(keys.get('zoll-staff')!.publicJwk)],
          {
            issuerOf: ['eu-aeo-aeos'],
          },
        ),
      );
      // acme-1 was registered as every key was before purposes existed: no purposes, both.
      expect(created.keys).toEqual([
        { jwk: keys.get('acme-1')!.publicJwk, addedAt: at(t0) },
        { jwk: keys.get('acme-staff')!.publicJwk, addedAt: at(t0), purposes: ['authentication'] },
      ]);
      expect(created.jwks).toEqual({ keys: [keys.get('acme-1')!.publicJwk] });
      // The directory service's view, built from party.registered, says the same.
      const view = await eventually(async () => {
        const r = await call(host, 'GET', '/v1/parties/acme', 'acme');
        expect(r.statusCode).toBe(200);
        return r.json();
      });
      expect(view.keys).toEqual(created.keys);
      expect(view.jwks).toEqual(created.jwks);
    });

    it('a sign-in key authenticates the party, adds another sign-in key, but its declarations and attestations are refused', async () => {
      await ok(host, 'POST', '/v1/relationships', 'globex', {
        partnerId: 'acme',
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
      });
      // The staff key signs the party's calls.
      caller.set('acme', 'acme-staff');
      await ok(host, 'POST', '/v1/relationships/globex~acme/acceptance', 'acme', {});

      // Another sign-in key, for the console, added with the staff key.
      const console = signIn(keys.get('acme-console')!.publicJwk);
      const added = await call(host, 'POST', '/v1/parties/acme/keys', 'acme', console);
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toEqual({
        jwk: keys.get('acme-console')!.publicJwk,
        addedAt: at(t0),
        purposes: ['authentication'],
      });
      expect((await call(host, 'POST', '/v1/parties/acme/keys', 'acme', console)).statusCode).toBe(200);
      // Its purposes do not change: the same key for signing is a conflict.
      const widened = await call(host, 'POST', '/v1/parties/acme/keys', 'acme', {
        ...console,
        purposes: ['authentication', 'signing'],
      });
      expect(widened.statusCode).toBe(409);
      expect(widened.json()).toMatchObject({ code: 'PDX_KEY_CONFLICT', pointer: '/purposes' });
      const badAdd = await call(host, 'POST', '/v1/parties/acme/keys', 'acme', {
        ...console,
        kid: 'x',
        purposes: ['sign'],
      });
      expect(badAdd.json()).toMatchObject({ code: 'PDX_KEY_PURPOSES_INVALID', pointer: '/purposes/0' });
      const parties = await published();

      // What the sign-in keys sign is refused, whoever's call carries it; nothing is published.
      const declarations = await published(topics.declarations);
      const certificates = await published(topics.certificates);
      for (const kid of ['acme-staff', 'acme-console']) {
        expectNotForSigning(
          await call(
            host,
            'POST',
            '/v1/declarations',
            'acme',
            await signed(declaration('dos-1'), kid, DECLARATION_TYP),
          ),
          kid,
        );
      }
      caller.set('zoll', 'zoll-staff');
      expectNotForSigning(
        await call(
          host,
          'POST',
          '/v1/certificates/attestations',
          'zoll',
          await signed(attestation('DE AEOS 4711/27'), 'zoll-staff', ATTESTATION_TYP),
        ),
        'zoll-staff',
      );
      expect(await published(topics.declarations)).toBe(declarations);
      expect(await published(topics.certificates)).toBe(certificates);
      expect(await published()).toBe(parties);
      const none = await call(host, 'GET', '/v1/declarations/acme/dos-1', 'acme');
      expect(none.statusCode).toBe(404);

      // The keys without purposes sign, sent on a call the sign-in key authenticates.
      const accepted = await call(
        host,
        'POST',
        '/v1/declarations',
        'acme',
        await signed(declaration('dos-1'), 'acme-1', DECLARATION_TYP),
      );
      expect(accepted.statusCode, accepted.body).toBe(202);
      expect(accepted.json().verification.verdict).toBe('VALID');
      const attested = await call(
        host,
        'POST',
        '/v1/certificates/attestations',
        'zoll',
        await signed(attestation('DE AEOS 4711/27'), 'zoll-1', ATTESTATION_TYP),
      );
      expect(attested.statusCode, attested.body).toBe(201);
      expect(await published(topics.declarations)).toBe(declarations + 1);
    });
  });
}
