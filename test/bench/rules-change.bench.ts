/**
 * `npm run bench` (part 7): the review service's start-up re-evaluation of decisions made under
 * earlier rules, for `BENCH_PAIRS` (buyer, partner) pairs (default 10,000: 2,000 partners each
 * linked to 5 buyers) on the embedded store and log. The pairs are first decided as the release
 * with scheme catalogue version 1 did (test fixture): half the partners hold an ISO 28000
 * certificate (then exempt, now pending review: a change, an exemption revoked and a review task
 * opened, published durably), half an AEO authorisation (exempt either way: the decision is only
 * stamped). Then one pass under the rules in force, and a second one, which finds nothing to do.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import {
  type Certificate,
  createEvent,
  type PdxEvent,
  SchemaRegistry,
  type SchemeCatalogue,
} from '@pdx/contracts';
import { linkDoc, partyDoc } from '@pdx/read-models/testing';
import {
  applyFactEvent,
  type EvaluationDeps,
  evaluatePair,
  openFactStore,
  RulesChangeReview,
  type RulesReviewDoc,
  rulesReviewDocs,
  type StatusRecord,
  statusRecords,
} from '@pdx/review';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { buildCatalogues, certificateId } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import { openEmbeddedStore } from '@pdx/store';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 10_000);
const BUYERS = 5;
const PARTNERS = Math.ceil(PAIRS / BUYERS);
const DAY = 86_400_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-rules-'));
  const registry = new SchemaRegistry();
  const catalogues = loadCatalogues(registry);
  const earlierCatalogues = buildCatalogues(
    JSON.parse(
      readFileSync(
        new URL('../../../services/review/test-fixtures/scheme-catalogue-version-1.json', import.meta.url),
        'utf8',
      ),
    ) as SchemeCatalogue,
    catalogues.recognition,
  );
  const store = openEmbeddedStore({ dir, database: 'review' });
  const bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
  const clock = new ManualClock('2027-06-01T00:00:00Z');
  const now = clock.now();
  const facts = await openFactStore(store);
  const deps = (c: typeof catalogues): EvaluationDeps => ({
    ...facts,
    statuses: statuses,
    catalogues: c,
    bus,
    registry,
    clock,
    logger: silentLogger(),
    source: 'urn:pdx:bench',
  });
  const statuses = await store.collection<StatusRecord>(statusRecords);

  const buyers = Array.from({ length: BUYERS }, (_, b) => `buyer-${b}`);
  const writes: Promise<unknown>[] = [];
  for (const b of buyers)
    writes.push(facts.parties.put(partyDoc({ id: b, country: 'DE', roles: ['buyer'], keys: [] })));
  for (let p = 0; p < PARTNERS; p++) {
    writes.push(facts.parties.put(partyDoc({ id: `p-${p}`, country: 'DE', roles: ['partner'], keys: [] })));
    for (const b of buyers) {
      writes.push(
        facts.links.put(
          linkDoc({ buyerId: b, partnerId: `p-${p}`, functions: ['warehouse'], locations: ['DEHAM'] }),
        ),
      );
    }
    if (writes.length > 5_000) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);

  // As the earlier release decided: one certificate per partner, every linked pair evaluated.
  const events: PdxEvent[] = Array.from({ length: PARTNERS }, (_, p) => {
    const iso = p % 2 === 0;
    const schemeId = iso ? 'iso-28000' : 'eu-aeo-aeos';
    const number = iso ? `DE-28000-${p}` : `DE AEOS ${p}/27`;
    const certificate: Certificate = {
      certificateId: certificateId(schemeId, number),
      schemeId,
      number,
      holder: `p-${p}`,
      trust: 'claimed',
      issuerName: iso ? 'Certification body' : 'Hauptzollamt',
      scope: { functions: ['warehouse'] },
      validFrom: new Date(now - 100 * DAY).toISOString(),
      ...(iso ? { validUntil: new Date(now + 600 * DAY).toISOString() } : {}),
      state: 'active',
      // Confirmed by every buyer's reviewer, so the claim grounds what its scheme grounds.
      confirmations: buyers.map((buyerId) => ({
        buyerId,
        reviewer: 'J. Doe',
        evidenceRef: 'audit-file',
        confirmedAt: new Date(now - DAY).toISOString(),
      })),
      version: 1,
    };
    return createEvent(registry, {
      type: 'org.pdx.certificate.registered.v1',
      subject: `p-${p}`,
      source: 'urn:pdx:bench',
      time: now - DAY,
      data: { certificate, changedAt: new Date(now - DAY).toISOString(), changedBy: `p-${p}` },
    });
  });
  const earlier = deps(earlierCatalogues);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < events.length; i = next++) {
        const event = events[i]!;
        const cause = { kind: 'event' as const, eventId: event.id, eventType: event.type };
        for (const pair of await applyFactEvent(facts, event)) await evaluatePair(earlier, pair, cause);
      }
    }),
  );
  const exempt = await statuses.count({ linked: true, 'decision.status': 'exempt' });
  if (exempt !== PARTNERS * BUYERS) throw new Error(`expected every pair exempt first, ${exempt} are`);
  const publishedBefore = bus.readTopic('pdx.statuses').length + bus.readTopic('pdx.review-tasks').length;

  const runs = await store.collection<RulesReviewDoc>(rulesReviewDocs);
  const review = new RulesChangeReview(deps(catalogues), runs, { retryMs: 1000 }, silentLogger());
  let t = performance.now();
  const first = await review.run();
  const firstSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const second = await review.run();
  const secondMs = performance.now() - t;
  const published =
    bus.readTopic('pdx.statuses').length + bus.readTopic('pdx.review-tasks').length - publishedBefore;
  await bus.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  if (!first || first.redecided !== PARTNERS * BUYERS || first.changed !== (PARTNERS / 2) * BUYERS)
    throw new Error(`unexpected first pass ${JSON.stringify(first)}`);
  if (second?.redecided !== 0) throw new Error(`unexpected second pass ${JSON.stringify(second)}`);

  console.log(
    `rules change benchmark: ${PARTNERS * BUYERS} pairs decided under scheme catalogue 1, decided again under ${catalogues.schemes.version}, embedded store and log\n`,
  );
  console.log(
    `${'first start: every pair decided again'.padEnd(40)} ${(first.redecided / firstSeconds).toFixed(0).padStart(7)} pairs/s   ${firstSeconds.toFixed(1)} s   ${first.changed} changed (${published} events published), ${first.redecided - first.changed} only stamped`,
  );
  console.log(`${'second start: nothing to do'.padEnd(40)} ${secondMs.toFixed(1).padStart(7)} ms\n`);
}

await main();
