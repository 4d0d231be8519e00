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
  type PublicJwk,
  SchemaRegistry,
} from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import {
  counter,
  createMetricsRegistry,
  ManualClock,
  type MetricsRegistry,
  silentLogger,
} from '@pdx/runtime';
import { loadCatalogues } from '@pdx/schemes/load';
import { type DocumentStore, openEmbeddedStore } from '@pdx/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyFactEvent, openFactStore } from '../facts/apply-fact-event.js';
import { statusRecords } from '../facts/fact-docs.js';
import { type EvaluationDeps, evaluatePair } from './evaluate-pair.js';

const DAY = 86_400_000;
const registry = new SchemaRegistry();
const catalogues = loadCatalogues(registry);
const dosSchema = JSON.parse(
  readFileSync(new URL('../../../../schemas/api/declaration-of-security.v1.json', import.meta.url), 'utf8'),
) as {
  properties: {
    measures: { properties: Record<string, { properties: { isoReferences: { const: unknown } } }> };
  };
};
const VALID = {
  verdict: 'VALID' as const,
  checks: (['signature', 'key-valid-at-signing-time', 'schema', 'issuer', 'validity-window'] as const).map(
    (check) => ({ check, status: 'VALID' as const }),
  ),
};

/**
 * The review service's fact handling and evaluation on its real (embedded) store and log:
 * events in, the pairs they concern evaluated, the events published out.
 */
describe('review evaluation: revoked keys and exemption bases', () => {
  const clock = new ManualClock('2027-03-01T00:00:00Z');
  const t0 = clock.now();
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  let dir: string;
  let store: DocumentStore;
  let bus: EmbeddedEventBus;
  let deps: EvaluationDeps;
  const keys = new Map<string, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();

  const event = <K extends PdxEventType>(type: K, subject: string, data: EventDataMap[K]) =>
    createEvent(registry, {
      type,
      subject,
      source: 'urn:pdx:test:review',
      time: clock.now(),
      data,
    }) as PdxEvent;
  /** As the service's consumer does: the facts, then every pair they concern. */
  let lastApplied: PdxEvent | undefined;
  const apply = async (e: PdxEvent) => {
    lastApplied = e;
    for (const pair of await applyFactEvent(deps, e))
      await evaluatePair(deps, pair, { kind: 'event', eventId: e.id, eventType: e.type });
    return e;
  };
  const published = () =>
    bus
      .readTopic('pdx.statuses')
      .map((m) => JSON.parse(m.value) as PdxEvent & { data: Record<string, unknown> });
  const statusChanges = (partnerId: string) =>
    published().flatMap((e) =>
      e.type === 'org.pdx.partner.status.changed.v1' && e.data.decision.partnerId === partnerId
        ? [e.data]
        : [],
    );
  const exemptions = () =>
    published().flatMap((e) =>
      e.type.startsWith('org.pdx.exemption.')
        ? [
            {
              type: e.type.replace('org.pdx.exemption.', '').replace('.v1', ''),
              ...e.data,
            } as Record<string, unknown>,
          ]
        : [],
    );

  const register = async (partyId: string, roles: string[], issuerOf?: string[]) => {
    const key = await generateSigningKey('EdDSA', `${partyId}-1`);
    keys.set(partyId, key);
    const party = {
      partyId,
      legalName: partyId,
      country: 'DE',
      roles,
      ...(issuerOf ? { issuerOf } : {}),
      jwks: { keys: [key.publicJwk] },
    } as EventDataMap['org.pdx.party.registered.v1']['party'];
    await apply(
      event('org.pdx.party.registered.v1', partyId, {
        party,
        registeredAt: at(-400),
        registeredBy: 'ops',
        contentHash: contentHash(party),
      }),
    );
  };
  const link = async (buyerId: string, partnerId: string) => {
    const relationshipId = `${buyerId}~${partnerId}`;
    await apply(
      event('org.pdx.relationship.offered.v1', partnerId, {
        relationshipId,
        buyerId,
        partnerId,
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        offeredAt: at(0),
      }),
    );
    await apply(
      event('org.pdx.relationship.accepted.v1', partnerId, {
        relationshipId,
        buyerId,
        partnerId,
        acceptedAt: at(0),
      }),
    );
  };
  const revoke = (partyId: string, kid: string, revokedFrom: string, reason: 'compromised' | 'superseded') =>
    apply(
      event('org.pdx.party.key-revoked.v1', partyId, {
        partyId,
        kid,
        revokedFrom,
        revokedAt: new Date(clock.now()).toISOString(),
        reason,
        revokedBy: partyId,
      }),
    );
  const declare = async (issuer: string, issuedAt: string) => {
    const measures = Object.fromEntries(
      ['A', 'C', 'E', 'F', 'H'].map((area) => [
        area,
        {
          statement: `Measures for ${area}.`,
          controls: ['documented'],
          isoReferences: dosSchema.properties.measures.properties[area]!.properties.isoReferences.const,
        },
      ]),
    );
    const declaration = {
      declarationId: 'dos-1',
      issuer,
      recipients: ['globex'],
      scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
      measures,
      validity: { from: at(-1), until: at(300) },
      signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
      issuedAt,
    } as EventDataMap['org.pdx.declaration.submitted.v1']['declaration'];
    const jws = await signCompact(JSON.stringify(declaration), keys.get(issuer)!.privateJwk, DECLARATION_TYP);
    return apply(
      event('org.pdx.declaration.submitted.v1', issuer, {
        declarationId: 'dos-1',
        issuer,
        recipients: ['globex'],
        jws,
        declaration,
        contentHash: contentHash(declaration),
        submittedAt: new Date(clock.now()).toISOString(),
        verification: VALID,
      }),
    );
  };
  const reviewed = (partnerId: string) =>
    apply(
      event('org.pdx.review.recorded.v1', partnerId, {
        review: {
          reviewId: 'R-1',
          buyerId: 'globex',
          partnerId,
          declarationId: 'dos-1',
          reviewedAt: new Date(clock.now() - 1000).toISOString(),
          reviewer: 'J. Doe',
          method: 'document-review',
          outcome: 'credible',
          findings: [],
          evidence: [],
          recordedAt: new Date(clock.now()).toISOString(),
          contentHash: 'c'.repeat(43),
        },
      }),
    );
  /** A certificate event carrying `certificate` as intake records it (signed by `zoll` when attested). */
  const aeo = async (holder: string, n: number, signer = 'zoll'): Promise<Certificate> => ({
    certificateId: `eu-aeo-aeos~${String(n).padStart(20, '0')}`,
    schemeId: 'eu-aeo-aeos',
    number: `DE AEOS ${4700 + n}/27`,
    holder,
    trust: 'attested',
    issuer: 'zoll',
    scope: { functions: ['warehouse'] },
    validFrom: at(-100),
    state: 'active',
    attestation: {
      jws: await signCompact(JSON.stringify({ n }), keys.get(signer)!.privateJwk, ATTESTATION_TYP),
      issuedAt: new Date(clock.now() - 1000).toISOString(),
      contentHash: 'a'.repeat(43),
    },
    confirmations: [],
    version: 1,
  });
  const certificateEvent = (
    type:
      | 'org.pdx.certificate.registered.v1'
      | 'org.pdx.certificate.suspended.v1'
      | 'org.pdx.certificate.reinstated.v1'
      | 'org.pdx.certificate.withdrawn.v1',
    certificate: Certificate,
  ) =>
    apply(
      event(type, certificate.holder, {
        certificate,
        changedAt: new Date(clock.now()).toISOString(),
        changedBy: 'zoll',
        ...(type === 'org.pdx.certificate.registered.v1' ? {} : { reason: 'test' }),
      } as EventDataMap['org.pdx.certificate.suspended.v1']),
    );

  let metrics: MetricsRegistry;
  const evaluations = async () =>
    Object.fromEntries(
      (await metrics.getSingleMetric('pdx_rules_evaluations_total')!.get()).values.map((v) => [
        `${v.labels.cause}/${v.labels.outcome}`,
        v.value,
      ]),
    );
  beforeEach(async () => {
    metrics = createMetricsRegistry();
    dir = mkdtempSync(join(tmpdir(), 'pdx-review-eval-'));
    store = openEmbeddedStore({ dir, database: 'review' });
    bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
    deps = {
      ...(await openFactStore(store)),
      statuses: await store.collection(statusRecords),
      catalogues,
      bus,
      registry,
      clock,
      logger: silentLogger(),
      source: 'urn:pdx:test:review',
      evaluations: counter(metrics, {
        name: 'pdx_rules_evaluations_total',
        help: 'Evaluations.',
        labelNames: ['cause', 'outcome'],
      }),
    };
    clock.set(t0);
    await register('globex', ['buyer']);
    await register('zoll', ['issuer'], ['eu-aeo-aeos']);
    for (const p of ['acme', 'vendo']) {
      await register(p, ['partner']);
      await link('globex', p);
    }
  });
  afterEach(async () => {
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts every evaluation by cause and outcome (pdx_rules_evaluations_total)', async () => {
    // Each link offered (nothing to decide yet), then accepted (the first decision).
    expect(await evaluations()).toEqual({ 'event/unchanged': 2, 'event/changed': 2 });
    await evaluatePair(deps, { buyerId: 'globex', partnerId: 'acme' }, { kind: 'time' });
    expect(await evaluations()).toEqual({ 'event/unchanged': 2, 'event/changed': 2, 'time/unchanged': 1 });
  });

  it('a redelivered event publishes what a failed publication left in the outbox before it counts as handled', async () => {
    // The log refuses once: the decision is recorded with its events pending, the handler fails.
    const real = deps.bus;
    let refuse = true;
    deps = {
      ...deps,
      bus: {
        publish: async (events) => {
          if (refuse) {
            refuse = false;
            throw Object.assign(new Error('the log is down'), { retriable: true });
          }
          await real.publish(events);
        },
      },
    };
    const certificate = await aeo('vendo', 1);
    await expect(certificateEvent('org.pdx.certificate.registered.v1', certificate)).rejects.toMatchObject({
      code: 'PDX_EVENT_LOG_UNAVAILABLE',
    });
    expect(statusChanges('vendo').map((c) => c.decision.status)).toEqual(['declaration-required']);
    // The consumer retries the same event: the decision is already made, and its events go out
    // now, before the offset is committed, not at the next restart.
    const registered = published().length;
    await apply(lastApplied!);
    expect(statusChanges('vendo').map((c) => c.decision.status)).toEqual(['declaration-required', 'exempt']);
    expect(published().length).toBe(registered + 2);
  });

  it("a partner's key compromised from before its declaration was signed: the pair no longer rests on it", async () => {
    await declare('acme', at(-1));
    await reviewed('acme');
    expect(statusChanges('acme').at(-1)?.decision.status).toBe('credible');
    // Superseded from now, after the signing: nothing changes.
    clock.set(t0 + DAY);
    await revoke('acme', 'acme-1', at(1), 'superseded');
    expect(statusChanges('acme').at(-1)?.decision.status).toBe('credible');
    // Compromised from before the signing: the declaration grounds nothing any more.
    clock.set(t0 + 2 * DAY);
    const revocation = await revoke('acme', 'acme-1', at(-2), 'compromised');
    const last = statusChanges('acme').at(-1)!;
    expect(last.decision.status).toBe('declaration-required');
    expect(last.previousStatus).toBe('credible');
    expect(last.cause).toEqual({
      kind: 'event',
      eventId: revocation.id,
      eventType: 'org.pdx.party.key-revoked.v1',
    });
    expect(last.decision.basis).toEqual([]);
    // A redelivery of the revocation changes nothing more.
    const before = published().length;
    await apply(revocation);
    expect(published()).toHaveLength(before);
  });

  it("an issuer's key compromised from before an attestation: its holder loses the exemption it grounded", async () => {
    const certificate = await aeo('vendo', 1);
    await certificateEvent('org.pdx.certificate.registered.v1', certificate);
    expect(statusChanges('vendo').at(-1)?.decision.status).toBe('exempt');
    clock.set(t0 + DAY);
    await revoke('zoll', 'zoll-1', at(1), 'superseded');
    expect(statusChanges('vendo').at(-1)?.decision.status).toBe('exempt');
    clock.set(t0 + 2 * DAY);
    const revocation = await revoke('zoll', 'zoll-1', at(-30), 'compromised');
    expect(statusChanges('vendo').at(-1)).toMatchObject({
      decision: { status: 'declaration-required' },
      previousStatus: 'exempt',
      cause: { eventId: revocation.id, eventType: 'org.pdx.party.key-revoked.v1' },
    });
    expect(exemptions().map((e) => `${e.type} ${e.partnerId}`)).toEqual(['granted vendo', 'revoked vendo']);
    expect(exemptions().at(-1)).toMatchObject({
      certificateIds: [certificate.certificateId],
      cause: { eventId: revocation.id, eventType: 'org.pdx.party.key-revoked.v1' },
    });
    // acme has no certificate of zoll: its decision was not touched.
    expect(statusChanges('acme').map((s) => s.cause.eventType)).toEqual(['org.pdx.relationship.accepted.v1']);
  });

  it('a certificate replaced by another while exempt throughout: one change of basis, old and new', async () => {
    const first = await aeo('vendo', 1);
    const second = await aeo('vendo', 2);
    await certificateEvent('org.pdx.certificate.registered.v1', first);
    await certificateEvent('org.pdx.certificate.registered.v1', second);
    clock.set(t0 + DAY);
    await certificateEvent('org.pdx.certificate.withdrawn.v1', { ...first, state: 'withdrawn', version: 2 });
    expect(exemptions().map((e) => e.type)).toEqual(['granted', 'basis-changed']);
    expect(exemptions()[1]).toMatchObject({
      buyerId: 'globex',
      partnerId: 'vendo',
      clause: '4.4(c)',
      certificateIds: [second.certificateId],
      previous: { clause: '4.4(c)', certificateIds: [first.certificateId] },
      cause: { eventType: 'org.pdx.certificate.withdrawn.v1' },
    });
    expect(statusChanges('vendo').at(-1)).toMatchObject({
      decision: { status: 'exempt' },
      previousStatus: 'exempt',
    });
  });

  it('an exemption that ends and is granted again later (a gap) is a revocation, then a grant', async () => {
    const certificate = await aeo('vendo', 1);
    await certificateEvent('org.pdx.certificate.registered.v1', certificate);
    clock.set(t0 + DAY);
    await certificateEvent('org.pdx.certificate.suspended.v1', {
      ...certificate,
      state: 'suspended',
      version: 2,
    });
    clock.set(t0 + 2 * DAY);
    await certificateEvent('org.pdx.certificate.reinstated.v1', { ...certificate, version: 3 });
    expect(exemptions().map((e) => `${e.type} ${e.at}`)).toEqual([
      `granted ${at(0)}`,
      `revoked ${at(1)}`,
      `granted ${at(2)}`,
    ]);
  });
});
