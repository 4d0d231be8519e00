import { eventually } from '@pdx/bus/testing';
import { certificatesService } from '@pdx/certificates';
import type { PdxEvent, PublicJwk } from '@pdx/contracts';
import { topics } from '@pdx/contracts';
import { ATTESTATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import { createHost, type Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens, viaHost } from './access-tokens.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
type Who = 'ops' | 'acme' | 'globex' | 'umbrella' | 'tuv';

/**
 * The lapse scheduler on a controlled clock, with `replicas` certificates services sharing
 * one database and consumer group: each threshold of each linked buyer is published once,
 * the expiry once, also when no scheduler ran across it.
 */
export function lapseSchedulerSuite(
  name: string,
  replicas: number,
  makeTarget: () => Promise<SliceTarget>,
): void {
  describe(`lapse scheduler: ${name}, ${replicas} replica(s)`, () => {
    const clock = new ManualClock('2027-01-01T00:00:00Z');
    const t0 = clock.now();
    let target: SliceTarget;
    let intake: Host;
    let schedulers: Host[] = [];
    const seen: PdxEvent[] = [];
    // Every lapse message the log delivered, duplicates included: the replicas must not
    // publish a milestone twice (the ids would be equal, so `seen` alone could hide it).
    let lapseMessages = 0;
    const keys = new Map<Who, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    let ops: { privateJwk: PrivateJwk; publicJwk: PublicJwk };

    const env = () => ({
      ...target.env,
      PORT: '0',
      PDX_SCHEDULER_INTERVAL_MS: '100',
      PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [ops.publicJwk] } }]),
    });
    const startScheduler = async () => {
      const host = await createHost({
        name: 'pdx-certificates',
        services: [certificatesService],
        env: env(),
        clock,
        logger: silentLogger(),
      });
      await host.start();
      schedulers.push(host);
    };
    const tokens = accessTokens({
      now: () => clock.now(),
      keyOf: (who) => keys.get(who as Who)!.privateJwk,
      transport: viaHost(() => intake),
    });
    const call = async (method: 'POST' | 'PUT', url: string, who: Who, body: unknown) => {
      const token = await tokens.tokenFor(who);
      const res = await intake.http.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': typeof body === 'string' ? 'application/jose' : 'application/json',
        },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    const lapses = () =>
      seen
        .filter(
          (e) => e.type === 'org.pdx.certificate.expiring.v1' || e.type === 'org.pdx.certificate.expired.v1',
        )
        .map((e) =>
          e.type === 'org.pdx.certificate.expiring.v1'
            ? `${e.data.certificate.number} ${e.data.buyerId} ${e.data.thresholdDays}`
            : `${e.data.certificate.number} expired`,
        )
        .sort();
    const settle = () => new Promise((r) => setTimeout(r, 600));

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'acme', 'globex', 'umbrella', 'tuv'] as Who[])
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      ops = keys.get('ops')!;
      intake = await createHost({
        name: 'pdx-intake',
        services: [intakeService],
        env: env(),
        clock,
        logger: silentLogger(),
      });
      await intake.start();
      await intake.bus.subscribe({
        group: 'lapse-observer',
        topics: [topics.certificates],
        handler: async (event) => {
          if (
            event.type === 'org.pdx.certificate.expiring.v1' ||
            event.type === 'org.pdx.certificate.expired.v1'
          ) {
            lapseMessages++;
          }
          if (!seen.some((e) => e.id === event.id)) seen.push(event);
        },
      });
      const register = (partyId: Who, roles: string[], extra = {}) =>
        call('POST', '/v1/parties', 'ops', {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: [keys.get(partyId)!.publicJwk] },
          ...extra,
        });
      await register('acme', ['partner']);
      await register('globex', ['buyer']);
      await register('umbrella', ['buyer']);
      await register('tuv', ['issuer'], { issuerOf: ['iso-28000'] });
      for (const buyer of ['globex', 'umbrella'] as Who[]) {
        await call('POST', '/v1/relationships', buyer, {
          partnerId: 'acme',
          scopeOfService: { functions: ['warehouse'] },
        });
        await call('POST', `/v1/relationships/${buyer}~acme/acceptance`, 'acme', {});
      }
      await call('PUT', '/v1/recognition-policies/umbrella', 'umbrella', {
        schemes: ['iso-28000'],
        alertThresholdsDays: [60, 14],
      });
      for (let i = 0; i < replicas; i++) await startScheduler();
    });
    afterAll(async () => {
      for (const host of schedulers) await host.stop();
      await intake?.stop();
      await target?.cleanup?.();
    });

    const attest = async (number: string, validUntil: number) =>
      call(
        'POST',
        '/v1/certificates/attestations',
        'tuv',
        await signCompact(
          JSON.stringify({
            schemeId: 'iso-28000',
            number,
            holder: 'acme',
            issuer: 'tuv',
            scope: { functions: ['warehouse'] },
            validFrom: new Date(t0 - 300 * DAY).toISOString(),
            validUntil: new Date(validUntil).toISOString(),
            issuedAt: new Date(clock.now() - 1000).toISOString(),
          }),
          keys.get('tuv')!.privateJwk,
          ATTESTATION_TYP,
        ),
      );

    it('publishes each buyer threshold once as the clock crosses it, then the expiry once', async () => {
      const until = t0 + 100 * DAY;
      await attest('ISO-A', until);
      await eventually(() =>
        expect(seen.some((e) => e.type === 'org.pdx.certificate.registered.v1')).toBe(true),
      );
      await settle();
      expect(lapses()).toEqual([]);
      const expected: string[] = [];
      for (const [daysBefore, line] of [
        [90, 'ISO-A globex 90'],
        [60, 'ISO-A umbrella 60'],
        [30, 'ISO-A globex 30'],
        [14, 'ISO-A umbrella 14'],
        [7, 'ISO-A globex 7'],
        [0, 'ISO-A expired'],
      ] as const) {
        clock.set(until - daysBefore * DAY);
        expected.push(line);
        await eventually(() => expect(lapses()).toEqual([...expected].sort()), 30_000);
      }
      // More scans, more replicas: nothing repeats.
      await settle();
      expect(lapses()).toEqual([...expected].sort());
      expect(lapseMessages).toBe(expected.length);
      const expiring = seen.filter((e) => e.type === 'org.pdx.certificate.expiring.v1');
      expect(expiring.map((e) => e.data.daysToExpiry).sort((a, b) => a - b)).toEqual([7, 14, 30, 60, 90]);
    });

    it('after downtime across thresholds and the expiry, publishes the expiry once and no stale warning', async () => {
      const until = clock.now() + 50 * DAY;
      await attest('ISO-B', until);
      await eventually(() =>
        expect(
          seen
            .filter((e) => e.type === 'org.pdx.certificate.registered.v1')
            .map((e) => (e.data as { certificate: { number: string } }).certificate.number),
        ).toContain('ISO-B'),
      );
      // 50 days out: globex's 90 and umbrella's 60 thresholds have already passed; the most
      // urgent open one of each buyer is published, once.
      await eventually(
        () =>
          expect(lapses().filter((l) => l.startsWith('ISO-B'))).toEqual([
            'ISO-B globex 90',
            'ISO-B umbrella 60',
          ]),
        30_000,
      );
      for (const host of schedulers) await host.stop();
      schedulers = [];
      clock.set(until + 3 * DAY);
      await settle();
      for (let i = 0; i < replicas; i++) await startScheduler();
      await eventually(
        () => expect(lapses().filter((l) => l.startsWith('ISO-B'))).toContain('ISO-B expired'),
        30_000,
      );
      await settle();
      expect(lapses().filter((l) => l.startsWith('ISO-B'))).toEqual([
        'ISO-B expired',
        'ISO-B globex 90',
        'ISO-B umbrella 60',
      ]);
    });
  });
}
