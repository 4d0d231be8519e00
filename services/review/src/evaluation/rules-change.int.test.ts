import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import {
  type Certificate,
  contentHash,
  createEvent,
  type EventDataMap,
  type PdxEvent,
  type PdxEventType,
  SchemaRegistry,
  type SchemeCatalogue,
} from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import { RULES_ENGINE_VERSION } from '@pdx/rules';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { buildCatalogues, type Catalogues, certificateId, type ServiceFunction } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import { type Collection, type DocumentStore, openEmbeddedStore } from '@pdx/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyFactEvent, openFactStore } from '../facts/apply-fact-event.js';
import {
  type RulesReviewDoc,
  rulesReviewDocs,
  type StatusRecord,
  statusRecords,
} from '../facts/fact-docs.js';
import { type EvaluationDeps, evaluatePair } from './evaluate-pair.js';
import { RulesChangeReview } from './rules-change.js';

const DAY = 86_400_000;
const registry = new SchemaRegistry();
const catalogues = loadCatalogues(registry);
/** The scheme catalogue as the release before version 2 shipped it (ISO 28000 covered everything). */
const earlierCatalogues: Catalogues = buildCatalogues(
  JSON.parse(
    readFileSync(new URL('../../test-fixtures/scheme-catalogue-version-1.json', import.meta.url), 'utf8'),
  ) as SchemeCatalogue,
  catalogues.recognition,
);
const dosSchema = JSON.parse(
  readFileSync(new URL('../../../../schemas/api/declaration-of-security.v1.json', import.meta.url), 'utf8'),
) as {
  properties: {
    measures: { properties: Record<string, { properties: { isoReferences: { const: unknown } } }> };
  };
};

/**
 * Decisions made under earlier rules, decided again at start-up: on the review service's
 * real (embedded) store and log, the pairs decided by an earlier release (scheme catalogue
 * version 1), then passes of the start-up re-evaluation under the rules in force, two of them
 * at once as two replicas starting together would.
 */
describe('rules change: decisions made under earlier rules are decided again', () => {
  const clock = new ManualClock('2027-03-01T00:00:00Z');
  const t0 = clock.now();
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const rules = { catalogueVersion: catalogues.schemes.version, engineVersion: RULES_ENGINE_VERSION };
  let dir: string;
  let stores: DocumentStore[];
  let buses: EmbeddedEventBus[];
  /** As the earlier release decided: its catalogue. */
  let earlier: EvaluationDeps;
  /** Two replicas of the release in force, each with its own handles on the same files. */
  let replicas: EvaluationDeps[];
  let runs: Collection<RulesReviewDoc>;
  const keys = new Map<string, PrivateJwk>();

  const depsOn = async (c: Catalogues): Promise<EvaluationDeps> => {
    const store = openEmbeddedStore({ dir, database: 'review' });
    const bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
    stores.push(store);
    buses.push(bus);
    return {
      ...(await openFactStore(store)),
      statuses: await store.collection(statusRecords),
      catalogues: c,
      bus,
      registry,
      clock,
      logger: silentLogger(),
      source: 'urn:pdx:test:review',
    };
  };
  const event = <K extends PdxEventType>(type: K, subject: string, data: EventDataMap[K]) =>
    createEvent(registry, {
      type,
      subject,
      source: 'urn:pdx:test:review',
      time: clock.now(),
      data,
    }) as PdxEvent;
  const apply = async (e: PdxEvent) => {
    for (const pair of await applyFactEvent(earlier, e))
      await evaluatePair(earlier, pair, { kind: 'event', eventId: e.id, eventType: e.type });
  };
  /** What the service published: decisions and exemptions, and review tasks. */
  const published = () =>
    ['pdx.statuses', 'pdx.review-tasks'].flatMap((topic) =>
      buses[0]!
        .readTopic(topic)
        .map((m) => JSON.parse(m.value) as PdxEvent & { data: Record<string, unknown> }),
    );
  /** What was published since `before` (a list of what had been published). */
  const since = (before: readonly PdxEvent[]) => {
    const seen = new Set(before.map((e) => e.id));
    return published().filter((e) => !seen.has(e.id));
  };
  const ofPartner = (type: string, partnerId: string) =>
    published().filter(
      (e) =>
        e.type === type &&
        ((e.data.decision as { partnerId?: string } | undefined)?.partnerId ?? e.data.partnerId) ===
          partnerId,
    );
  const statusOf = async (partnerId: string) =>
    (await earlier.statuses.get(`globex~${partnerId}`)) as StatusRecord;

  const register = async (partyId: string, roles: string[], issuerOf?: string[]) => {
    const key = await generateSigningKey('EdDSA', `${partyId}-1`);
    const party = {
      partyId,
      legalName: partyId,
      country: 'DE',
      roles,
      ...(issuerOf ? { issuerOf } : {}),
      jwks: { keys: [key.publicJwk] },
    } as EventDataMap['org.pdx.party.registered.v1']['party'];
    keys.set(partyId, key.privateJwk);
    await apply(
      event('org.pdx.party.registered.v1', partyId, {
        party,
        registeredAt: at(-400),
        registeredBy: 'ops',
        contentHash: contentHash(party),
      }),
    );
  };
  const link = async (partnerId: string, functions: ServiceFunction[]) => {
    const relationshipId = `globex~${partnerId}`;
    await apply(
      event('org.pdx.relationship.offered.v1', partnerId, {
        relationshipId,
        buyerId: 'globex',
        partnerId,
        scopeOfService: { functions, locations: ['DEHAM'] },
        offeredAt: at(0),
      }),
    );
    await apply(
      event('org.pdx.relationship.accepted.v1', partnerId, {
        relationshipId,
        buyerId: 'globex',
        partnerId,
        acceptedAt: at(0),
      }),
    );
  };
  /** A certificate as intake records it, attested by its issuer. */
  const certificate = async (
    holder: string,
    schemeId: string,
    number: string,
    functions: ServiceFunction[],
  ) => {
    const issuer = schemeId.startsWith('eu-aeo') ? 'zoll' : 'tuv';
    const c: Certificate = {
      certificateId: certificateId(schemeId, number),
      schemeId,
      number,
      holder,
      trust: 'attested',
      issuer,
      scope: { functions },
      validFrom: at(-100),
      ...(issuer === 'zoll' ? {} : { validUntil: at(600) }),
      state: 'active',
      attestation: {
        jws: await signCompact(JSON.stringify({ number }), keys.get(issuer)!, ATTESTATION_TYP),
        issuedAt: at(-1),
        contentHash: 'a'.repeat(43),
      },
      confirmations: [],
      version: 1,
    };
    await apply(
      event('org.pdx.certificate.registered.v1', holder, {
        certificate: c,
        changedAt: at(0),
        changedBy: c.issuer!,
      }),
    );
    return c;
  };
  const declare = async (issuer: string) => {
    const declaration = {
      declarationId: 'dos-1',
      issuer,
      recipients: ['globex'],
      scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
      measures: Object.fromEntries(
        ['A', 'C', 'E', 'F', 'H'].map((area) => [
          area,
          {
            statement: `Measures for ${area}.`,
            controls: ['documented'],
            isoReferences: dosSchema.properties.measures.properties[area]!.properties.isoReferences.const,
          },
        ]),
      ),
      validity: { from: at(-1), until: at(300) },
      signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
      issuedAt: at(-1),
    } as EventDataMap['org.pdx.declaration.submitted.v1']['declaration'];
    await apply(
      event('org.pdx.declaration.submitted.v1', issuer, {
        declarationId: 'dos-1',
        issuer,
        recipients: ['globex'],
        jws: await signCompact(JSON.stringify(declaration), keys.get(issuer)!, DECLARATION_TYP),
        declaration,
        contentHash: contentHash(declaration),
        submittedAt: at(0),
        verification: {
          verdict: 'VALID',
          checks: (
            ['signature', 'key-valid-at-signing-time', 'schema', 'issuer', 'validity-window'] as const
          ).map((check) => ({ check, status: 'VALID' as const })),
        },
      }),
    );
  };
  const review = (deps: EvaluationDeps) =>
    new RulesChangeReview(deps, runs, { pageSize: 2, retryMs: 50 }, silentLogger());

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-review-rules-'));
    stores = [];
    buses = [];
    clock.set(t0);
    earlier = await depsOn(earlierCatalogues);
    replicas = [await depsOn(catalogues), await depsOn(catalogues)];
    runs = await stores[1]!.collection<RulesReviewDoc>(rulesReviewDocs);
    await register('globex', ['buyer']);
    await register('zoll', ['issuer'], ['eu-aeo-aeos']);
    await register('tuv', ['issuer'], ['iso-28000', 'air-regulated-agent']);
    // acme: a warehouse with an ISO 28000 certificate, and a declaration it never needed.
    await register('acme', ['partner']);
    await link('acme', ['warehouse']);
    await declare('acme');
    await certificate('acme', 'iso-28000', 'DE-28000-1', ['warehouse']);
    // skyway: an air carrier with a regulated agent approval.
    await register('skyway', ['partner']);
    await link('skyway', ['air-carrier']);
    await certificate('skyway', 'air-regulated-agent', 'DE-RA-1', ['air-carrier']);
    // vendo: an AEO security authorisation, exempt under either catalogue.
    await register('vendo', ['partner']);
    await link('vendo', ['warehouse']);
    await certificate('vendo', 'eu-aeo-aeos', 'DE AEOS 4711/27', ['warehouse']);
    // initech: nothing yet; its decision is stored as a release before versions would have.
    await register('initech', ['partner']);
    await link('initech', ['warehouse']);
    const legacy = await statusOf('initech');
    const { rulesEngineVersion: _unrecorded, ...unstamped } = legacy;
    await earlier.statuses.put({ ...unstamped, decision: { ...legacy.decision, catalogueVersion: 2 } });
    clock.set(t0 + DAY);
  });
  afterEach(async () => {
    for (const bus of buses) await bus.close();
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends exemptions the corrected catalogue no longer grants, once, with cause rules-changed', async () => {
    expect((await statusOf('acme')).decision).toMatchObject({ status: 'exempt', catalogueVersion: 1 });
    expect((await statusOf('skyway')).decision).toMatchObject({ status: 'exempt', catalogueVersion: 1 });
    expect((await statusOf('vendo')).decision.status).toBe('exempt');
    const before = published();

    // Two replicas start at once.
    const results = await Promise.all(replicas.map((r) => review(r).run()));
    const cause = {
      kind: 'rules-changed',
      previousRules: { catalogueVersion: 1, engineVersion: RULES_ENGINE_VERSION },
      rules,
    };
    const acmeChanges = ofPartner('org.pdx.partner.status.changed.v1', 'acme');
    expect(
      acmeChanges.filter((e) => (e.data.cause as { kind: string }).kind === 'rules-changed'),
    ).toHaveLength(1);
    expect(acmeChanges.at(-1)!.data).toMatchObject({
      previousStatus: 'exempt',
      decision: { status: 'pending-review', catalogueVersion: 2, reviewTask: { reason: 'first-review' } },
      cause,
    });
    // ISO 28000 is only evidence now: cited for the review, exempting nobody.
    expect(acmeChanges.at(-1)!.data.decision).toMatchObject({
      basis: expect.arrayContaining([expect.objectContaining({ schemeId: 'iso-28000', clause: '4.5' })]),
    });
    expect(ofPartner('org.pdx.exemption.revoked.v1', 'acme').map((e) => e.data)).toEqual([
      expect.objectContaining({ clause: '4.4(b)', cause }),
    ]);
    // The review it needs again is owed again (the task closed when the exemption began).
    expect(
      since(before)
        .filter((e) => e.type === 'org.pdx.review-task.opened.v1')
        .map((e) => [e.data.partnerId, e.data.cause]),
    ).toEqual([['acme', cause]]);
    // The regulated agent approval no longer covers an air carrier.
    expect(ofPartner('org.pdx.partner.status.changed.v1', 'skyway').at(-1)!.data).toMatchObject({
      previousStatus: 'exempt',
      decision: { status: 'declaration-required' },
      cause,
    });
    expect(ofPartner('org.pdx.exemption.revoked.v1', 'skyway')).toHaveLength(1);
    // Unchanged decisions are only stamped with the rules in force: no event.
    for (const partner of ['vendo', 'initech']) {
      const record = await statusOf(partner);
      expect([record.decision.catalogueVersion, record.rulesEngineVersion]).toEqual([
        rules.catalogueVersion,
        rules.engineVersion,
      ]);
    }
    // Two changes in all, each published once, whichever replica made it.
    expect(
      since(before)
        .map((e) => `${e.type} ${e.subject}`)
        .sort(),
    ).toEqual([
      'org.pdx.exemption.revoked.v1 acme',
      'org.pdx.exemption.revoked.v1 skyway',
      'org.pdx.partner.status.changed.v1 acme',
      'org.pdx.partner.status.changed.v1 skyway',
      'org.pdx.review-task.opened.v1 acme',
    ]);
    expect(results.reduce((n, r) => n + r!.changed, 0)).toBe(2);
    expect(await runs.get(`catalogue-2.engine-${RULES_ENGINE_VERSION}`)).toMatchObject({
      rules,
      completedAt: at(1),
    });

    // Started again: every decision is made under the rules in force, nothing to do.
    clock.set(t0 + 2 * DAY);
    expect(await review(replicas[0]!).run()).toEqual({ examined: 0, redecided: 0, changed: 0 });
    expect(since(before)).toHaveLength(5);
    expect(await runs.get(`catalogue-2.engine-${RULES_ENGINE_VERSION}`)).toMatchObject({
      completedAt: at(2),
      redecided: 0,
    });
  });

  it('an event that reaches an unchanged pair first stamps it, and the pass leaves it alone', async () => {
    const vendo = await statusOf('vendo');
    expect(vendo.decision.catalogueVersion).toBe(1);
    await evaluatePair(replicas[0]!, { buyerId: 'globex', partnerId: 'vendo' }, { kind: 'time' });
    const stamped = await statusOf('vendo');
    expect([stamped.decision.catalogueVersion, stamped.version]).toEqual([2, vendo.version + 1]);
    expect(stamped.decision.evaluatedAt).toBe(vendo.decision.evaluatedAt);
    const before = published();
    const result = await review(replicas[1]!).run();
    expect(result).toMatchObject({ examined: 4, redecided: 3, changed: 2 });
    expect((await statusOf('vendo')).version).toBe(stamped.version);
    expect(since(before).filter((e) => e.subject === 'vendo')).toEqual([]);
  });

  it('a pass the log failed is tried again, and what it left pending goes out', async () => {
    const replica = replicas[0]!;
    let failures = 1;
    const flaky: EvaluationDeps = {
      ...replica,
      bus: {
        publish: async (events) => {
          if (failures-- > 0) throw new Error('the log did not acknowledge');
          await replica.bus.publish(events);
        },
      },
    };
    const before = published();
    const background = review(flaky);
    background.start();
    await expect.poll(() => runs.get(`catalogue-2.engine-${RULES_ENGINE_VERSION}`)).toBeDefined();
    await background.stop();
    expect(
      since(before)
        .map((e) => `${e.type} ${e.subject}`)
        .sort(),
    ).toEqual([
      'org.pdx.exemption.revoked.v1 acme',
      'org.pdx.exemption.revoked.v1 skyway',
      'org.pdx.partner.status.changed.v1 acme',
      'org.pdx.partner.status.changed.v1 skyway',
      'org.pdx.review-task.opened.v1 acme',
    ]);
    expect(await replica.statuses.count({ pending: true })).toBe(0);
  });

  it('runs in the background from start() and stops when asked', async () => {
    const background = review(replicas[0]!);
    background.start();
    await background.stop();
    // Stopped at once or done: either way a start later finishes the work.
    const again = review(replicas[1]!);
    again.start();
    await expect.poll(() => runs.get(`catalogue-2.engine-${RULES_ENGINE_VERSION}`)).toBeDefined();
    await again.stop();
    expect((await statusOf('acme')).decision.status).toBe('pending-review');
  });
});
