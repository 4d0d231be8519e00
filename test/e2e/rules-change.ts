import { readFileSync } from 'node:fs';
import { eventually } from '@pdx/bus/testing';
import { type PdxEvent, type PublicJwk, SchemaRegistry, type SchemeCatalogue, topics } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ledgerService } from '@pdx/ledger';
import { createReviewService, type RulesReviewDoc, reviewService, rulesReviewDocs } from '@pdx/review';
import { RULES_ENGINE_VERSION } from '@pdx/rules';
import { ManualClock } from '@pdx/runtime';
import { buildCatalogues } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
type Who = 'ops' | 'globex' | 'tuv' | 'zoll' | 'acme' | 'vendo';

/** The review service as the release before scheme catalogue version 2 decided. */
const earlierReview = createReviewService({
  catalogues: (registry) =>
    buildCatalogues(
      JSON.parse(
        readFileSync(
          new URL('../../services/review/test-fixtures/scheme-catalogue-version-1.json', import.meta.url),
          'utf8',
        ),
      ) as SchemeCatalogue,
      loadCatalogues(registry).recognition,
    ),
});
const current = {
  catalogueVersion: loadCatalogues(new SchemaRegistry()).schemes.version,
  engineVersion: RULES_ENGINE_VERSION,
};

/**
 * An upgrade to corrected rules, end to end: an exchange whose review service decided under
 * scheme catalogue version 1 (ISO 28000 exempted a warehouse) is started again with the
 * rules in force, two review replicas at once. The ISO 28000 holder loses its exemption once,
 * with cause rules-changed, recorded by the ledger, and owes a review again; the AEO holder's
 * decision is only stamped. A third start publishes nothing.
 */
export function rulesChangeSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`rules change at start-up: ${name}`, () => {
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    const t0 = clock.now();
    const at = (days: number) => new Date(t0 + days * DAY).toISOString();
    let target: SliceTarget;
    let env: Record<string, string>;
    const running: Host[] = [];
    const keys = new Map<Who, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    /** Every event the observers saw, by id (a republication of one is the same event). */
    const seen = new Map<string, PdxEvent>();
    /** Messages each observer was handed, republications included. */
    const delivered = new Map<string, number>();
    const { ok } = apiClient(clock, (who) => keys.get(who as Who)!.privateJwk);

    /** A host of the whole exchange but review (given), observed from the beginning of its log. */
    const start = async (review: typeof reviewService, observer: string) => {
      const host = await startHost('pdx', [intakeService, review, ledgerService], env, clock);
      running.push(host);
      await host.bus.subscribe({
        group: observer,
        topics: [topics.statuses, topics.reviewTasks],
        handler: async (event) => {
          seen.set(event.id, event);
          delivered.set(observer, (delivered.get(observer) ?? 0) + 1);
        },
      });
      return { host, observer };
    };
    const stopAll = async () => {
      for (const host of running.splice(0).reverse()) await host.stop();
    };
    const events = (type: string, partnerId: string) =>
      [...seen.values()].filter(
        (e) =>
          e.type === type &&
          ((e.data as { decision?: { partnerId: string } }).decision?.partnerId ??
            (e.data as { partnerId?: string }).partnerId) === partnerId,
      ) as (PdxEvent & { data: Record<string, unknown> & { cause: { kind: string } } })[];
    const rulesChanged = (type: string, partnerId: string) =>
      events(type, partnerId).filter((e) => e.data.cause.kind === 'rules-changed');
    /** The last start-up pass recorded by the review service, if any. */
    const lastPass = async () => {
      const store = await target.openStore('review');
      try {
        return await (await store.collection<RulesReviewDoc>(rulesReviewDocs)).get(
          `catalogue-${current.catalogueVersion}.engine-${current.engineVersion}`,
        );
      } finally {
        await store.close();
      }
    };
    /**
     * Waits until the observer was handed every message on the log of its topics. Delivery is
     * at least once: a republished event (two replicas flushing one outbox) is a second
     * message with the same id, one event for every consumer.
     */
    const caughtUp = ({ host, observer }: { host: Host; observer: string }) =>
      eventually(async () => {
        const published =
          (await target.countPublished(host.bus, topics.statuses)) +
          (await target.countPublished(host.bus, topics.reviewTasks));
        expect(delivered.get(observer) ?? 0).toBeGreaterThanOrEqual(published);
      }, 60_000);

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'globex', 'tuv', 'zoll', 'acme', 'vendo'] as Who[])
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      const ledgerKey = await generateSigningKey('EdDSA', 'ledger-test');
      ({ env } = await hostEnv(target, keys.get('ops')!.publicJwk, {
        PDX_LEDGER_KEY: JSON.stringify(ledgerKey.privateJwk),
        PDX_LEDGER_ORIGIN: 'test.pdx/exemption-ledger',
        PDX_LEDGER_INTERVAL_MS: '50',
      }));
    }, 60_000);
    afterAll(async () => {
      await stopAll();
      await target?.cleanup?.();
    });

    it('ends the ISO 28000 exemption once when the corrected rules start, and a restart does nothing', async () => {
      // Under the earlier rules.
      let observed = await start(earlierReview, 'rules-observer-1');
      let host = observed.host;
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
      await register('tuv', ['issuer'], { issuerOf: ['iso-28000'] });
      await register('zoll', ['issuer'], { issuerOf: ['eu-aeo-aeos'] });
      for (const partner of ['acme', 'vendo'] as const) {
        await register(partner, ['partner']);
        await ok(host, 'POST', '/v1/relationships', 'globex', {
          partnerId: partner,
          scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        });
        await ok(host, 'POST', `/v1/relationships/globex~${partner}/acceptance`, partner, {});
      }
      const dos = {
        declarationId: 'dos-1',
        issuer: 'acme',
        recipients: ['globex'],
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        measures: Object.fromEntries(
          Object.entries(isoRefs).map(([area, isoReferences]) => [
            area,
            { statement: `Measures for ${area}.`, controls: ['documented'], isoReferences },
          ]),
        ),
        validity: { from: at(-1), until: at(300) },
        signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
        issuedAt: new Date(t0 - 60_000).toISOString(),
      };
      await ok(
        host,
        'POST',
        '/v1/declarations',
        'acme',
        await signCompact(JSON.stringify(dos), keys.get('acme')!.privateJwk, DECLARATION_TYP),
      );
      const attest = async (issuer: 'tuv' | 'zoll', attestation: Record<string, unknown>) =>
        ok(
          host,
          'POST',
          '/v1/certificates/attestations',
          issuer,
          await signCompact(
            JSON.stringify({
              ...attestation,
              issuer,
              scope: { functions: ['warehouse'] },
              validFrom: at(-100),
              issuedAt: new Date(t0 - 1000).toISOString(),
            }),
            keys.get(issuer)!.privateJwk,
            ATTESTATION_TYP,
          ),
        );
      const iso28000 = await attest('tuv', {
        schemeId: 'iso-28000',
        number: 'DE-28000-0042',
        holder: 'acme',
        validUntil: at(600),
      });
      await attest('zoll', { schemeId: 'eu-aeo-aeos', number: 'DE AEOS 4711/27', holder: 'vendo' });
      const status = async (partner: string) =>
        (await ok(host, 'GET', `/v1/partner-status/${partner}`, 'globex')).decision;
      await eventually(async () => {
        expect(await status('acme')).toMatchObject({ status: 'exempt', clauses: ['4.3', '4.4(b)'] });
        expect(await status('vendo')).toMatchObject({ status: 'exempt', catalogueVersion: 1 });
      }, 60_000);
      const ledgerEntries = async () =>
        (await ok(host, 'GET', '/v1/ledger/entries?partnerId=acme', 'globex')).entries.map(
          (e: { entry: string }) => JSON.parse(e.entry),
        );
      await eventually(async () => expect(await ledgerEntries()).toHaveLength(1), 60_000);
      await caughtUp(observed);
      const vendoBefore = events('org.pdx.partner.status.changed.v1', 'vendo').length;
      await stopAll();

      // The corrected rules start, on two review replicas at once.
      clock.set(t0 + DAY);
      [observed] = await Promise.all([
        start(reviewService, 'rules-observer-2'),
        startHost('pdx-review-2', [reviewService], env, clock).then((h) => {
          running.push(h);
          return h;
        }),
      ]);
      host = observed.host;
      const cause = {
        kind: 'rules-changed',
        previousRules: { catalogueVersion: 1, engineVersion: RULES_ENGINE_VERSION },
        rules: current,
      };
      await eventually(async () => {
        expect(await status('acme')).toMatchObject({
          status: 'pending-review',
          clauses: ['4.2', '4.5'],
          catalogueVersion: current.catalogueVersion,
          reviewTask: { declarationId: 'dos-1', reason: 'first-review' },
        });
        expect(rulesChanged('org.pdx.exemption.revoked.v1', 'acme')).toHaveLength(1);
        expect(rulesChanged('org.pdx.review-task.opened.v1', 'acme')).toHaveLength(1);
      }, 60_000);
      expect(rulesChanged('org.pdx.partner.status.changed.v1', 'acme').map((e) => e.data)).toEqual([
        expect.objectContaining({ previousStatus: 'exempt', cause }),
      ]);
      expect(rulesChanged('org.pdx.exemption.revoked.v1', 'acme')[0]!.data).toMatchObject({
        clause: '4.4(b)',
        certificateIds: [iso28000.certificate.certificateId],
        cause,
      });
      // ISO 28000 is evidence for the review now, never grounds for an exemption.
      expect((await status('acme')).basis).toContainEqual(
        expect.objectContaining({ kind: 'certificate', clause: '4.5', schemeId: 'iso-28000' }),
      );
      // The buyer's history and the ledger say why.
      const { changes } = await ok(host, 'GET', '/v1/partner-status/acme/history', 'globex');
      expect(changes.at(-1)).toMatchObject({ previousStatus: 'exempt', cause });
      const revoked = await eventually(async () => {
        const entries = await ledgerEntries();
        expect(entries.map((e: { kind: string }) => e.kind)).toEqual([
          'exemption-granted',
          'exemption-revoked',
        ]);
        return entries[1];
      }, 60_000);
      expect(revoked).toMatchObject({ clause: '4.4(b)', decisionCause: cause });
      // The AEO holder's decision stands: stamped with the rules in force, without an event.
      await eventually(async () => expect(await lastPass()).toBeDefined(), 60_000);
      await eventually(
        async () =>
          expect(await status('vendo')).toMatchObject({ catalogueVersion: current.catalogueVersion }),
        60_000,
      );
      // Both replicas finish (stopping waits for their passes). Started again, a third time:
      await stopAll();
      clock.set(t0 + 2 * DAY);
      observed = await start(reviewService, 'rules-observer-3');
      host = observed.host;
      // it found nothing to do, and published nothing (no event of its time).
      await eventually(async () => {
        expect(await lastPass()).toMatchObject({ completedAt: at(2), redecided: 0, changed: 0 });
      }, 60_000);
      await caughtUp(observed);
      expect([...seen.values()].filter((e) => Date.parse(e.time) >= t0 + 2 * DAY)).toEqual([]);
      // Each change was made once (one event, one id), whichever replica made it.
      expect(rulesChanged('org.pdx.partner.status.changed.v1', 'acme')).toHaveLength(1);
      expect(rulesChanged('org.pdx.exemption.revoked.v1', 'acme')).toHaveLength(1);
      expect(rulesChanged('org.pdx.review-task.opened.v1', 'acme')).toHaveLength(1);
      expect(events('org.pdx.partner.status.changed.v1', 'vendo')).toHaveLength(vendoBefore);
      expect((await ledgerEntries()).length).toBe(2);
    }, 300_000);
  });
}

const isoRefs = {
  A: { iso28000: ['4.4.2'], iso28001: ['5.3.1'] },
  C: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  E: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  F: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  H: { iso28000: ['4.4.6', '4.4.7', '4.5.3'], iso28001: ['5.7'] },
};
