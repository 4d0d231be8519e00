import { eventually } from '@pdx/bus/testing';
import type { PdxEvent, PublicJwk } from '@pdx/contracts';
import { topics } from '@pdx/contracts';
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
import { reviewService } from '@pdx/review';
import { ManualClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
type Who = 'ops' | 'acme' | 'vendo' | 'globex' | 'zoll';
type Key = { privateJwk: PrivateJwk; publicJwk: PublicJwk };

/**
 * A key revoked from before what it signed: the declarations and certificate attestations it
 * signed stop grounding any status. The review service re-evaluates every pair they grounded
 * (the cause names the revocation), and the directory service's views say the key check fails;
 * a key merely superseded after the signing changes nothing.
 */
export function keyCompromiseSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`compromised keys: ${name}`, () => {
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    const t0 = clock.now();
    let target: SliceTarget;
    let host: Host;
    const keys = new Map<Who, Key>();
    const seen = new Map<string, PdxEvent>();

    const { call, ok } = apiClient(clock, (who) => keys.get(who as Who)!.privateJwk);
    const events = () => [...seen.values()];
    const statusesOf = (partnerId: string) =>
      events().flatMap((e) =>
        e.type === 'org.pdx.partner.status.changed.v1' && e.data.decision.partnerId === partnerId
          ? [e.data]
          : [],
      );
    const lastStatus = (partnerId: string) =>
      statusesOf(partnerId)
        .sort((a, b) => a.version - b.version)
        .at(-1)?.decision.status;
    const revocationEvent = (partyId: string, reason: string) =>
      events().find(
        (e) => e.type === 'org.pdx.party.key-revoked.v1' && e.subject === partyId && e.data.reason === reason,
      );
    /** Rotates: adds a second key, signs with it from now on; the first stays valid until revoked. */
    const rotate = async (who: 'acme' | 'zoll') => {
      const next = await generateSigningKey('EdDSA', `${who}-2`);
      await ok(host, 'POST', `/v1/parties/${who}/keys`, who, next.publicJwk);
      keys.set(who, next);
    };
    const revoke = (who: 'acme' | 'zoll', body: { reason: string; revokedFrom?: string }) =>
      ok(host, 'POST', `/v1/parties/${who}/keys/${who}-1/revocation`, who, body);

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'acme', 'vendo', 'globex', 'zoll'] as Who[])
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      const { env } = await hostEnv(target, keys.get('ops')!.publicJwk);
      host = await startHost('pdx', [intakeService, directoryService, reviewService], env, clock);
      await host.bus.subscribe({
        group: 'compromise-observer',
        topics: [topics.statuses, topics.parties],
        handler: async (event) => {
          seen.set(event.id, event);
        },
      });
      const register = (partyId: Who, roles: string[], extra = {}) =>
        ok(host, 'POST', '/v1/parties', 'ops', {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: [keys.get(partyId)!.publicJwk] },
          ...extra,
        });
      await register('globex', ['buyer']);
      await register('zoll', ['issuer'], { issuerOf: ['eu-aeo-aeos'] });
      for (const partner of ['acme', 'vendo'] as const) {
        await register(partner, ['partner']);
        await ok(host, 'POST', '/v1/relationships', 'globex', {
          partnerId: partner,
          scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        });
        await ok(host, 'POST', `/v1/relationships/globex~${partner}/acceptance`, partner, {});
      }
      await eventually(() => expect(lastStatus('vendo')).toBe('declaration-required'), 30_000);
    }, 120_000);
    afterAll(async () => {
      await host?.stop();
      await target?.cleanup?.();
    });

    it("a partner's key compromised from before its declaration was signed: the declaration grounds nothing", async () => {
      const dos = {
        declarationId: 'dos-1',
        issuer: 'acme',
        recipients: ['globex'],
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        measures: Object.fromEntries(
          (['A', 'C', 'E', 'F', 'H'] as const).map((area) => [
            area,
            { statement: `Measures for ${area}.`, controls: ['documented'], isoReferences: isoRefs[area] },
          ]),
        ),
        validity: { from: new Date(t0 - DAY).toISOString(), until: new Date(t0 + 300 * DAY).toISOString() },
        signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
        issuedAt: new Date(t0 - 60_000).toISOString(),
      };
      const jws = await signCompact(JSON.stringify(dos), keys.get('acme')!.privateJwk, DECLARATION_TYP);
      expect((await call(host, 'POST', '/v1/declarations', 'acme', jws)).statusCode).toBe(202);
      await eventually(() => expect(lastStatus('acme')).toBe('pending-review'), 30_000);
      await ok(host, 'POST', '/v1/reviews', 'globex', {
        reviewId: 'R-1',
        partnerId: 'acme',
        declarationId: 'dos-1',
        reviewedAt: new Date(clock.now() - 1000).toISOString(),
        reviewer: 'J. Doe',
        method: 'document-review',
        outcome: 'credible',
        findings: [],
      });
      await eventually(() => expect(lastStatus('acme')).toBe('credible'), 30_000);
      const view = () => ok(host, 'GET', '/v1/declarations/acme/dos-1', 'globex');
      expect((await view()).verification.verdict).toBe('VALID');

      // Rotation: the old key is superseded from now, after the signing. Nothing changes.
      await rotate('acme');
      clock.set(t0 + DAY);
      await revoke('acme', { reason: 'superseded' });
      await eventually(async () => {
        const superseded = (await view()).verification;
        expect(superseded.verdict).toBe('VALID');
        expect(superseded.checks[1].detail).toMatch(/before the key's revocation \(superseded\)/);
      }, 30_000);

      // Then the old key turns out to have been stolen two days before acme signed.
      clock.set(t0 + 2 * DAY);
      const revokedFrom = new Date(t0 - 2 * DAY).toISOString();
      await revoke('acme', { reason: 'compromised', revokedFrom });
      await eventually(() => expect(lastStatus('acme')).toBe('declaration-required'), 30_000);
      const compromised = revocationEvent('acme', 'compromised');
      const superseded = revocationEvent('acme', 'superseded');
      expect(compromised).toBeDefined();
      const history = statusesOf('acme').sort((a, b) => a.version - b.version);
      expect(history.map((s) => s.decision.status)).toEqual([
        'declaration-required',
        'pending-review',
        'credible',
        'declaration-required',
      ]);
      expect(history.at(-1)!.cause).toEqual({
        kind: 'event',
        eventId: compromised!.id,
        eventType: 'org.pdx.party.key-revoked.v1',
      });
      expect(history.some((s) => s.cause.eventId === superseded?.id)).toBe(false);
      const status = await ok(host, 'GET', '/v1/partner-status/acme', 'globex');
      expect(status.decision.basis).toEqual([]);
      expect(status.evidence.declaration).toBeUndefined();

      // The declaration's view: the key check fails from the revocation on, and says why.
      await eventually(async () => {
        const { verification } = await view();
        expect(verification.verdict).toBe('INVALID');
        expect(verification.checks.map((c: { status: string }) => c.status)).toEqual([
          'VALID',
          'INVALID',
          'SKIPPED',
          'SKIPPED',
          'SKIPPED',
        ]);
        expect(verification.checks[1]).toMatchObject({
          check: 'key-valid-at-signing-time',
          code: 'PDX_KEY_REVOKED',
        });
        expect(verification.checks[1].detail).toContain(`revoked (compromised) from ${revokedFrom}`);
      }, 30_000);
      expect(
        (await ok(host, 'GET', '/v1/declarations?issuer=acme', 'globex')).declarations[0].verification
          .verdict,
      ).toBe('INVALID');
    });

    it("an issuer's key compromised from before an attestation: the holder loses the exemption it grounded", async () => {
      const attestation = {
        schemeId: 'eu-aeo-aeos',
        number: 'DE AEOS 4711/27',
        holder: 'vendo',
        issuer: 'zoll',
        scope: { functions: ['warehouse'] },
        validFrom: new Date(t0 - 100 * DAY).toISOString(),
        issuedAt: new Date(clock.now() - 1000).toISOString(),
      };
      const registered = await ok(
        host,
        'POST',
        '/v1/certificates/attestations',
        'zoll',
        await signCompact(JSON.stringify(attestation), keys.get('zoll')!.privateJwk, ATTESTATION_TYP),
      );
      const certificateId = registered.certificate.certificateId as string;
      await eventually(() => expect(lastStatus('vendo')).toBe('exempt'), 30_000);
      const view = () => ok(host, 'GET', `/v1/certificates/${certificateId}`, 'globex');
      await eventually(
        async () =>
          expect((await view()).keyCheck).toEqual({ check: 'key-valid-at-signing-time', status: 'VALID' }),
        30_000,
      );

      await rotate('zoll');
      clock.set(t0 + 3 * DAY);
      await revoke('zoll', { reason: 'superseded' });
      await eventually(async () => expect((await view()).keyCheck.detail).toMatch(/\(superseded\)/), 30_000);
      expect(lastStatus('vendo')).toBe('exempt');

      clock.set(t0 + 4 * DAY);
      await revoke('zoll', { reason: 'compromised', revokedFrom: new Date(t0 - 10 * DAY).toISOString() });
      await eventually(() => expect(lastStatus('vendo')).toBe('declaration-required'), 30_000);
      const compromised = revocationEvent('zoll', 'compromised')!;
      const cause = { kind: 'event', eventId: compromised.id, eventType: 'org.pdx.party.key-revoked.v1' };
      expect(
        statusesOf('vendo')
          .sort((a, b) => a.version - b.version)
          .at(-1),
      ).toMatchObject({
        previousStatus: 'exempt',
        cause,
      });
      const exemptions = events().flatMap((e) =>
        e.type.startsWith('org.pdx.exemption.') && (e.data as { partnerId: string }).partnerId === 'vendo'
          ? [e]
          : [],
      );
      expect(exemptions.map((e) => e.type).sort()).toEqual([
        'org.pdx.exemption.granted.v1',
        'org.pdx.exemption.revoked.v1',
      ]);
      expect(exemptions.find((e) => e.type === 'org.pdx.exemption.revoked.v1')!.data).toMatchObject({
        clause: '4.4(c)',
        certificateIds: [certificateId],
        cause,
      });
      // The certificate view says why it grounds nothing now.
      await eventually(async () => {
        const { keyCheck, effectiveState } = await view();
        expect(effectiveState).toBe('active');
        expect(keyCheck).toMatchObject({ status: 'INVALID', code: 'PDX_KEY_REVOKED' });
        expect(keyCheck.detail).toContain('key "zoll-1" is revoked (compromised)');
      }, 30_000);
      // So does the status-verification lookup, for anyone who asks.
      const lookup = await ok(
        host,
        'GET',
        `/v1/certificate-status?scheme=eu-aeo-aeos&number=${encodeURIComponent('DE AEOS 4711/27')}`,
        'acme',
      );
      expect(lookup).toMatchObject({
        found: true,
        holder: 'vendo',
        keyCheck: { status: 'INVALID', code: 'PDX_KEY_REVOKED' },
      });
      expect(lookup.certificate).toBeUndefined();
      // acme's pair rests on nothing zoll signed: no change caused by zoll's revocation.
      expect(statusesOf('acme').some((s) => s.cause.eventId === compromised.id)).toBe(false);
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
