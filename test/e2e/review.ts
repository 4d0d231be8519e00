import { eventually } from '@pdx/bus/testing';
import type { PdxEvent, PublicJwk } from '@pdx/contracts';
import { topics } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
  verifyDetached,
} from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { reviewService } from '@pdx/review';
import { addMonths } from '@pdx/rules';
import { ManualClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
type Who = 'ops' | 'acme' | 'shipco' | 'globex' | 'zoll' | 'flag';

/**
 * Partner status end to end: every relevant event re-evaluates the pairs it concerns with
 * the rules engine, and a computed date passing does too; changes are published with their
 * cause, and exemptions granted and revoked.
 */
export function reviewSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`partner status: ${name}`, () => {
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    const t0 = clock.now();
    let target: SliceTarget;
    let intake: Host;
    let review: Host;
    const keys = new Map<Who, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    const seen: PdxEvent[] = [];
    let exchange: { privateJwk: PrivateJwk; publicJwk: PublicJwk };

    const { call, ok } = apiClient(clock, (who) => keys.get(who as Who)!.privateJwk);
    const statusesOf = (partnerId: string) =>
      seen.flatMap((e) =>
        e.type === 'org.pdx.partner.status.changed.v1' && e.data.decision.partnerId === partnerId
          ? [e.data]
          : [],
      );
    const lastStatus = (partnerId: string) => statusesOf(partnerId).at(-1)?.decision.status;
    const exemptions = () =>
      seen.flatMap((e) =>
        e.type === 'org.pdx.exemption.granted.v1' ||
        e.type === 'org.pdx.exemption.revoked.v1' ||
        e.type === 'org.pdx.exemption.basis-changed.v1'
          ? [
              `${e.type.slice('org.pdx.exemption.'.length, -'.v1'.length)} ${e.data.partnerId} ${e.data.clause} ${e.data.cause.kind}`,
            ]
          : [],
      );
    const attest = async (by: Who, payload: Record<string, unknown>) =>
      ok(
        intake,
        'POST',
        '/v1/certificates/attestations',
        by,
        await signCompact(JSON.stringify(payload), keys.get(by)!.privateJwk, ATTESTATION_TYP),
      );

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'acme', 'shipco', 'globex', 'zoll', 'flag'] as Who[])
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      let env: Record<string, string>;
      ({ env, exchange } = await hostEnv(target, keys.get('ops')!.publicJwk));
      intake = await startHost('pdx-intake', [intakeService], env, clock);
      review = await startHost('pdx-review', [reviewService], env, clock);
      await intake.bus.subscribe({
        group: 'status-observer',
        topics: [topics.statuses],
        handler: async (event) => {
          if (!seen.some((e) => e.id === event.id)) seen.push(event);
        },
      });
      const register = (partyId: Who, roles: string[], extra = {}) =>
        ok(intake, 'POST', '/v1/parties', 'ops', {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: [keys.get(partyId)!.publicJwk] },
          ...extra,
        });
      await register('acme', ['partner'], { identifiers: [{ scheme: 'EORI', value: 'DE123456789012345' }] });
      await register('shipco', ['partner']);
      await register('globex', ['buyer']);
      await register('zoll', ['issuer'], { issuerOf: ['eu-aeo-aeos'] });
      await register('flag', ['issuer'], { issuerOf: ['isps-issc'] });
      await ok(intake, 'POST', '/v1/relationships', 'globex', {
        partnerId: 'acme',
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
      });
      await ok(intake, 'POST', '/v1/relationships', 'globex', {
        partnerId: 'shipco',
        scopeOfService: { functions: ['ocean-carrier'] },
      });
    });
    afterAll(async () => {
      await review?.stop();
      await intake?.stop();
      await target?.cleanup?.();
    });

    it('decides once the partner accepts the link, and only then', async () => {
      await new Promise((r) => setTimeout(r, 300));
      expect(statusesOf('acme')).toEqual([]);
      await ok(intake, 'POST', '/v1/relationships/globex~acme/acceptance', 'acme', {});
      await eventually(() => expect(lastStatus('acme')).toBe('declaration-required'), 30_000);
      const first = statusesOf('acme')[0]!;
      expect(first.decision.clauses).toEqual(['4.2']);
      expect(first.cause).toMatchObject({ kind: 'event', eventType: 'org.pdx.relationship.accepted.v1' });
      const answer = await call(review, 'GET', '/v1/partner-status/acme', 'globex');
      expect(answer.json().decision.status).toBe('declaration-required');
      expect(answer.json().evidence).toEqual({ certificates: [], reviews: [] });
      // Signed, so the buyer can keep it as evidence.
      const signature = String(answer.headers['pdx-signature']);
      expect(await verifyDetached(answer.body, signature, exchange.publicJwk, 'pdx-status+jws')).toBe(true);
      const forged = answer.body.replace('declaration-required', 'exempt');
      expect(await verifyDetached(forged, signature, exchange.publicJwk, 'pdx-status+jws')).toBe(false);
      expect((await call(review, 'GET', '/v1/partner-status/shipco', 'globex')).json().code).toBe(
        'PDX_PARTNER_NOT_LINKED',
      );
    });

    it('follows the declaration, the review, an exemption and its suspension', async () => {
      const dos = {
        declarationId: 'dos-1',
        issuer: 'acme',
        recipients: ['globex'],
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        measures: Object.fromEntries(
          ['A', 'C', 'E', 'F', 'H'].map((area) => [
            area,
            {
              statement: `Measures for ${area}.`,
              controls: ['documented'],
              isoReferences: isoRefs[area as keyof typeof isoRefs],
            },
          ]),
        ),
        validity: { from: new Date(t0 - DAY).toISOString(), until: new Date(t0 + 300 * DAY).toISOString() },
        signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
        issuedAt: new Date(clock.now() - 60_000).toISOString(),
      };
      const dosJws = await signCompact(JSON.stringify(dos), keys.get('acme')!.privateJwk, DECLARATION_TYP);
      const submitted = await call(intake, 'POST', '/v1/declarations', 'acme', dosJws);
      expect(submitted.statusCode, submitted.body).toBe(202);
      await eventually(() => expect(lastStatus('acme')).toBe('pending-review'), 30_000);
      await ok(intake, 'POST', '/v1/reviews', 'globex', {
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
      // The first review was owed 30 days after the declaration; the review closed it and the
      // next one (a low-risk warehouse: a document review in 3 years) is open.
      const tasks = await eventually(async () => {
        const closed = (await ok(review, 'GET', '/v1/review-tasks?state=closed', 'globex')).tasks;
        expect(closed).toHaveLength(1);
        // The closed task and the next one are two writes: wait for both.
        const open = (await ok(review, 'GET', '/v1/review-tasks', 'globex')).tasks;
        expect(open).toHaveLength(1);
        return { closed, open };
      }, 30_000);
      expect(tasks.closed[0]).toMatchObject({
        partnerId: 'acme',
        state: 'closed',
        outcome: 'reviewed',
        reviewId: 'R-1',
        task: { declarationId: 'dos-1', reason: 'first-review', method: 'document-review', riskTier: 'low' },
      });
      expect(tasks.closed[0].task.dueAt).toBe(new Date(Date.parse(dos.issuedAt) + 30 * DAY).toISOString());
      expect(tasks.open).toEqual([
        expect.objectContaining({
          partnerId: 'acme',
          state: 'open',
          overdue: false,
          task: expect.objectContaining({
            reason: 'periodic',
            // 36 calendar months after the review: 1 March 2030 (3 × 365 days fell a day short).
            dueAt: new Date(addMonths(clock.now() - 1000, 36)).toISOString(),
          }),
        }),
      ]);
      // The status carries its evidence: the declaration as acme signed it, the review as recorded.
      const credible = await ok(review, 'GET', '/v1/partner-status/acme', 'globex');
      expect(credible.decision.status).toBe('credible');
      expect(credible.evidence.declaration).toEqual({ declarationId: 'dos-1', jws: dosJws });
      expect(credible.evidence.reviews).toEqual([
        expect.objectContaining({ reviewId: 'R-1', reviewer: 'J. Doe', method: 'document-review' }),
      ]);
      const aeo = await attest('zoll', {
        schemeId: 'eu-aeo-aeos',
        number: 'DE AEOS 4711/27',
        holder: 'acme',
        issuer: 'zoll',
        scope: { functions: ['warehouse'] },
        validFrom: new Date(t0 - 100 * DAY).toISOString(),
        issuedAt: new Date(clock.now() - 1000).toISOString(),
      });
      await eventually(() => expect(lastStatus('acme')).toBe('exempt'), 30_000);
      const exempt = await ok(review, 'GET', '/v1/partner-status/acme', 'globex');
      expect(exempt.evidence.certificates).toHaveLength(1);
      expect(exempt.evidence.certificates[0].attestation.jws).toBe(aeo.certificate.attestation.jws);
      expect(statusesOf('acme').at(-1)!.decision.clauses).toEqual(['4.4(c)']);
      await ok(intake, 'POST', `/v1/certificates/${aeo.certificate.certificateId}/suspension`, 'zoll', {
        reason: 'reassessment',
      });
      await eventually(() => expect(lastStatus('acme')).toBe('credible'), 30_000);
      expect(statusesOf('acme').map((s) => s.decision.status)).toEqual([
        'declaration-required',
        'pending-review',
        'credible',
        'exempt',
        'credible',
      ]);
      expect(statusesOf('acme').map((s) => s.version)).toEqual([1, 2, 3, 4, 5]);
      // Published with the status change, observed a moment after it.
      await eventually(() =>
        expect(exemptions()).toEqual(['granted acme 4.4(c) event', 'revoked acme 4.4(c) event']),
      );
      // While exempt no review was owed: the periodic task closed, and a new one opened after.
      const afterExemption = await ok(
        review,
        'GET',
        '/v1/review-tasks?state=closed&partnerId=acme',
        'globex',
      );
      expect(afterExemption.tasks.map((t: { outcome: string }) => t.outcome)).toEqual([
        'reviewed',
        'not-required',
      ]);
      const reopened = await eventually(async () => {
        const open = (await ok(review, 'GET', '/v1/review-tasks?partnerId=acme', 'globex')).tasks;
        expect(open).toHaveLength(1);
        return open;
      }, 30_000);
      expect(reopened[0].task).toEqual(afterExemption.tasks[1].task);
      expect(reopened[0].taskId).not.toBe(afterExemption.tasks[1].taskId);

      // The buyer's history of the pair: every change with its cause.
      const history = await eventually(async () => {
        const h = await ok(review, 'GET', '/v1/partner-status/acme/history', 'globex');
        expect(h.changes).toHaveLength(5);
        return h.changes as { version: number; previousStatus?: string; cause: { eventType?: string } }[];
      }, 30_000);
      expect(history.map((c) => c.cause.eventType)).toEqual([
        'org.pdx.relationship.accepted.v1',
        'org.pdx.declaration.submitted.v1',
        'org.pdx.review.recorded.v1',
        'org.pdx.certificate.registered.v1',
        'org.pdx.certificate.suspended.v1',
      ]);
      expect(history[4]!.previousStatus).toBe('exempt');
      expect(
        (await ok(review, 'GET', '/v1/partner-status?status=credible', 'globex')).partners.map(
          (d: { partnerId: string }) => d.partnerId,
        ),
      ).toEqual(['acme']);
      expect(
        (await ok(review, 'GET', '/v1/partner-status?function=ocean-carrier', 'globex')).partners,
      ).toEqual([]);
      expect((await ok(review, 'GET', '/v1/partner-status?country=FR', 'globex')).partners).toEqual([]);
      // Lookups among the buyer's partners: by a registered identifier, or by an AEO number.
      const lookup = async (scheme: string, value: string) =>
        (
          await ok(
            review,
            'GET',
            `/v1/partner-status/lookup?scheme=${scheme}&value=${encodeURIComponent(value)}`,
            'globex',
          )
        ).partners.map((d: { partnerId: string }) => d.partnerId);
      expect(await lookup('EORI', 'de123456789012345')).toEqual(['acme']);
      expect(await lookup('AEO', 'de aeos 4711/27')).toEqual(['acme']);
      expect(await lookup('LEI', '5493001KJTIIGC8Y1R12')).toEqual([]);
    });

    it('revokes an exemption when its certificate lapses, by the clock alone', async () => {
      await ok(intake, 'POST', '/v1/relationships/globex~shipco/acceptance', 'shipco', {});
      await attest('flag', {
        schemeId: 'isps-issc',
        number: 'ISSC-9074729',
        holder: 'shipco',
        issuer: 'flag',
        scope: { functions: ['ocean-carrier'] },
        validFrom: new Date(t0 - 100 * DAY).toISOString(),
        validUntil: new Date(t0 + 50 * DAY).toISOString(),
        issuedAt: new Date(clock.now() - 1000).toISOString(),
      });
      await eventually(() => expect(lastStatus('shipco')).toBe('exempt'), 30_000);
      const exempt = statusesOf('shipco').at(-1)!.decision;
      expect(exempt.clauses).toEqual(['4.3', '4.4(b)']);
      expect(exempt.nextChangeAt).toBe(new Date(t0 + 50 * DAY).toISOString());
      clock.set(t0 + 50 * DAY);
      await eventually(() => expect(lastStatus('shipco')).toBe('declaration-required'), 30_000);
      expect(statusesOf('shipco').at(-1)!.cause).toEqual({ kind: 'time' });
      await eventually(() => expect(exemptions()).toContain('revoked shipco 4.4(b) time'));
      const all = (await ok(review, 'GET', '/v1/partner-status', 'globex')).partners as {
        partnerId: string;
        status: string;
      }[];
      expect(all.map((d) => `${d.partnerId} ${d.status}`)).toEqual([
        'acme credible',
        'shipco declaration-required',
      ]);
      const dueSoon = await ok(
        review,
        'GET',
        `/v1/partner-status?dueBefore=${encodeURIComponent(new Date(clock.now() + 5000 * DAY).toISOString())}`,
        'globex',
      );
      expect(dueSoon.partners.map((d: { partnerId: string }) => d.partnerId)).toEqual(['acme']);
      // A plain date is the beginning of that day (UTC), as in a user's `dueBefore=2027-03-01`.
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const byDate = async (path: string, ms: number) =>
        (await ok(review, 'GET', `${path}?dueBefore=${day(ms)}`, 'globex')) as {
          partners?: { partnerId: string }[];
          tasks?: { partnerId: string }[];
        };
      expect(
        (await byDate('/v1/partner-status', clock.now() + 5000 * DAY)).partners?.map((d) => d.partnerId),
      ).toEqual(['acme']);
      expect((await byDate('/v1/partner-status', clock.now())).partners).toEqual([]);
      expect(
        (await byDate('/v1/review-tasks', clock.now() + 5000 * DAY)).tasks?.map((t) => t.partnerId),
      ).toEqual(['acme']);
      const badDate = await call(review, 'GET', '/v1/review-tasks?dueBefore=2027-02-30', 'globex');
      expect(badDate.statusCode).toBe(400);
      expect(badDate.json()).toMatchObject({ code: 'PDX_REQUEST_INVALID', pointer: '/dueBefore' });

      // The Statement of Application (ISO 28001 4.1), as JSON and as a printable page, signed.
      const soa = await call(review, 'GET', '/v1/statement-of-application', 'globex');
      expect(soa.statusCode, soa.body).toBe(200);
      expect(
        await verifyDetached(
          soa.body,
          String(soa.headers['pdx-signature']),
          exchange.publicJwk,
          'pdx-statement+jws',
        ),
      ).toBe(true);
      const statement = soa.json();
      expect(statement).toMatchObject({
        type: 'pdx.statement-of-application',
        buyerId: 'globex',
        scope: { functions: ['ocean-carrier', 'warehouse'], locations: ['DEHAM'] },
        summary: { partners: 2, credible: 1, 'declaration-required': 1 },
      });
      expect(
        statement.partners.map((p: { partnerId: string; status: string }) => `${p.partnerId} ${p.status}`),
      ).toEqual(['acme credible', 'shipco declaration-required']);
      const html = await call(review, 'GET', '/v1/statement-of-application?format=html', 'globex');
      expect(html.headers['content-type']).toContain('text/html');
      expect(html.body).toContain('<h1>Statement of Application (ISO 28001 4.1)</h1>');
      expect(html.body).toContain('shipco');
      expect(
        await verifyDetached(
          html.body,
          String(html.headers['pdx-signature']),
          exchange.publicJwk,
          'pdx-statement+jws',
        ),
      ).toBe(true);
      expect((await call(review, 'GET', '/v1/statement-of-application', 'acme')).json().code).toBe(
        'PDX_ROLE_REQUIRED',
      );

      // The buyer's own review policy: its country is high risk now, so the document review
      // no longer suffices for acme; the change is caused by the policy event.
      const set = await call(intake, 'PUT', '/v1/recognition-policies/globex', 'globex', {
        schemes: ['eu-aeo-aeos', 'isps-issc'],
        review: { highRiskCountries: ['DE'], highRiskFunctions: ['warehouse'] },
      });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json().review).toEqual({ highRiskCountries: ['DE'], highRiskFunctions: ['warehouse'] });
      await eventually(() => expect(statusesOf('acme').at(-1)!.decision.riskTier).toBe('high'), 30_000);
      const changed = statusesOf('acme').at(-1)!;
      expect(changed.decision.status).toBe('review-overdue');
      expect(changed.decision.obligations.map((o) => o.code)).toEqual(['review-overdue', 'review-method']);
      expect(changed.decision.policyVersion).toBe(1);
      expect(changed.cause).toMatchObject({ eventType: 'org.pdx.recognition-policy.changed.v1' });
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
