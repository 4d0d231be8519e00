import type { PublicJwk } from '@pdx/contracts';
import { topics } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ManualClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type Who = 'ops' | 'globex' | 'acme' | 'zoll';
type Key = { privateJwk: PrivateJwk; publicJwk: PublicJwk };

/**
 * Intake and a key revoked as compromised: what the stolen key signs after the compromise is
 * refused through HTTP with PDX_KEY_REVOKED, even when it states a signing time before it (a
 * backdated issuedAt), and nothing is recorded or published; what intake accepted before the
 * revocation is answered as it was when sent again.
 */
export function intakeKeyCompromiseSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`intake refuses what a compromised key signs now: ${name}`, () => {
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    const t0 = clock.now();
    const at = (ms: number) => new Date(ms).toISOString();
    /** Compromised from here: after the first objects reached the exchange, before now. */
    const revokedFrom = at(t0 + DAY);
    let target: SliceTarget;
    let host: Host;
    /** The keys the parties sign their calls with (rotated to the second key). */
    const current = new Map<Who, Key>();
    /** The first keys, which sign every object here, and are stolen. */
    const stolen = new Map<'acme' | 'zoll', Key>();
    const { call, ok } = apiClient(clock, (who) => current.get(who as Who)!.privateJwk);
    const published = async () =>
      (await target.countPublished(host.bus, topics.declarations)) +
      (await target.countPublished(host.bus, topics.certificates));

    const declaration = (declarationId: string, issuedAt: number) => ({
      declarationId,
      issuer: 'acme',
      recipients: ['globex'],
      scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
      measures: Object.fromEntries(
        Object.entries(isoRefs).map(([area, isoReferences]) => [
          area,
          { statement: `Measures for ${area}.`, controls: ['documented'], isoReferences },
        ]),
      ),
      validity: { from: at(t0 - DAY), until: at(t0 + 300 * DAY) },
      signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
      issuedAt: at(issuedAt),
    });
    const attestation = (number: string, issuedAt: number) => ({
      schemeId: 'eu-aeo-aeos',
      number,
      holder: 'acme',
      issuer: 'zoll',
      scope: { functions: ['warehouse'] },
      validFrom: at(t0 - 100 * DAY),
      issuedAt: at(issuedAt),
    });
    const signed = (payload: object, who: 'acme' | 'zoll', typ: string) =>
      signCompact(JSON.stringify(payload), stolen.get(who)!.privateJwk, typ);
    const declare = async (payload: object) =>
      call(host, 'POST', '/v1/declarations', 'acme', await signed(payload, 'acme', DECLARATION_TYP));
    const attest = async (payload: object) =>
      call(
        host,
        'POST',
        '/v1/certificates/attestations',
        'zoll',
        await signed(payload, 'zoll', ATTESTATION_TYP),
      );
    /** The refusal every backdated signature with the stolen key gets. */
    const expectKeyRevoked = (res: Awaited<ReturnType<typeof call>>, kid: string) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json();
      expect(problem).toMatchObject({
        code: 'PDX_KEY_REVOKED',
        type: 'urn:pdx:problem:key-revoked',
        pointer: '/issuedAt',
      });
      expect(problem.detail).toContain(`key "${kid}" is compromised from ${revokedFrom}`);
      expect(problem.verification.checks.map((c: { status: string }) => c.status)).toEqual([
        'VALID',
        'INVALID',
        'SKIPPED',
        'SKIPPED',
        'SKIPPED',
      ]);
      expect(problem.verification.checks[1]).toMatchObject({
        check: 'key-valid-at-signing-time',
        code: 'PDX_KEY_REVOKED',
      });
    };

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'globex', 'acme', 'zoll'] as Who[])
        current.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      stolen.set('acme', current.get('acme')!);
      stolen.set('zoll', current.get('zoll')!);
      const { env } = await hostEnv(target, current.get('ops')!.publicJwk);
      host = await startHost('pdx', [intakeService], env, clock);
      const register = (partyId: Who, roles: string[], extra = {}) =>
        ok(host, 'POST', '/v1/parties', 'ops', {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: [current.get(partyId)!.publicJwk] },
          ...extra,
        });
      await register('globex', ['buyer']);
      await register('zoll', ['issuer'], { issuerOf: ['eu-aeo-aeos'] });
      await register('acme', ['partner']);
      await ok(host, 'POST', '/v1/relationships', 'globex', {
        partnerId: 'acme',
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
      });
      await ok(host, 'POST', '/v1/relationships/globex~acme/acceptance', 'acme', {});
    }, 120_000);
    afterAll(async () => {
      await host?.stop();
      await target?.cleanup?.();
    });

    it('refuses new declarations and attestations, backdated or not, and what came in after the compromise when sent again', async () => {
      // Before the compromise: a declaration and an attestation reach the exchange.
      const honest = declaration('dos-1', t0 - HOUR);
      const honestAttestation = attestation('DE AEOS 4711/27', t0 - HOUR);
      expect((await declare(honest)).statusCode).toBe(202);
      expect((await attest(honestAttestation)).statusCode).toBe(201);
      // After it, before anyone noticed: the thief's declaration, backdated, is accepted (intake
      // cannot know yet).
      clock.set(t0 + 2 * DAY);
      const early = declaration('dos-early', t0 + 12 * HOUR);
      expect((await declare(early)).statusCode).toBe(202);

      // Found: both first keys stolen from revokedFrom. The parties rotate and revoke them.
      clock.set(t0 + 3 * DAY);
      for (const who of ['acme', 'zoll'] as const) {
        const next = await generateSigningKey('EdDSA', `${who}-2`);
        await ok(host, 'POST', `/v1/parties/${who}/keys`, who, next.publicJwk);
        current.set(who, next);
        await ok(host, 'POST', `/v1/parties/${who}/keys/${who}-1/revocation`, who, {
          reason: 'compromised',
          revokedFrom,
        });
      }
      const before = await published();

      // The thief signs new objects, stating times before the compromise: refused.
      expectKeyRevoked(await declare(declaration('dos-2', t0 + 12 * HOUR)), 'acme-1');
      expectKeyRevoked(await attest(attestation('DE AEOS 4712/27', t0 + 12 * HOUR)), 'zoll-1');
      // A renewal of the recorded authorisation, backdated yet after its attestation: refused too.
      expectKeyRevoked(await attest(attestation('DE AEOS 4711/27', t0 + 12 * HOUR)), 'zoll-1');
      expect(await published()).toBe(before);

      // Sent again: the declaration received before the compromise is answered as it was; the
      // thief's, received after it (before the revocation was known), never counted — its view
      // says its key check fails, it grounds no status — and is refused now.
      const again = await declare(honest);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ state: 'unchanged', verification: { verdict: 'VALID' } });
      expectKeyRevoked(await declare(early), 'acme-1');
      const attestedAgain = await attest(honestAttestation);
      expect(attestedAgain.statusCode).toBe(200);
      expect(attestedAgain.json().certificate).toMatchObject({ number: 'DE AEOS 4711/27', state: 'active' });
      expect(await published()).toBe(before);
    });
  });
}

const isoRefs = {
  A: { iso28000: ['4.4.2'], iso28001: ['5.3.1'] },
  C: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  E: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  F: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  H: { iso28000: ['4.4.6', '4.4.7', '4.5.3'], iso28001: ['5.7'] },
};
