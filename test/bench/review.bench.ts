/**
 * `npm run bench` (part 5): events → partner status with the review service's pipeline
 * (facts projected, every linked pair evaluated, changes recorded and published durably) for
 * `BENCH_PARTNERS` partners (default 10,000) each linked to 5 buyers, on the embedded store
 * and log; next to the pure rules engine on the same facts, measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import { type Certificate, createEvent, type PdxEvent, SchemaRegistry } from '@pdx/contracts';
import { linkDoc, partyDoc } from '@pdx/read-models/testing';
import { applyFactEvent, evaluatePair, openFactStore } from '@pdx/review';
import { defaultReviewPolicy, evaluate, type PartnerFacts } from '@pdx/rules';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { defaultRecognisedSchemes } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import { openEmbeddedStore } from '@pdx/store';

const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 10_000);
const BUYERS = 5;
const DAY = 86_400_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-review-'));
  const registry = new SchemaRegistry();
  const catalogues = loadCatalogues(registry);
  const store = openEmbeddedStore({ dir, database: 'review' });
  const bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
  const clock = new ManualClock('2027-06-01T00:00:00Z');
  const now = clock.now();
  const facts = await openFactStore(store);
  const deps = {
    ...facts,
    statuses: await store.collection({
      name: 'statuses',
      indexes: [{ fields: ['pending'] }, { fields: ['scheduled', 'nextChangeMs'] }, { fields: ['buyerId'] }],
    }),
    catalogues,
    bus,
    registry,
    clock,
    logger: silentLogger(),
    source: 'urn:pdx:bench',
  } as Parameters<typeof evaluatePair>[0];

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

  // One event per partner: an AEO authorisation registered (each concerns 5 buyers).
  const events: PdxEvent[] = Array.from({ length: PARTNERS }, (_, p) => {
    const certificate: Certificate = {
      certificateId: `eu-aeo-aeos~${p.toString(16).padStart(20, '0')}`,
      schemeId: 'eu-aeo-aeos',
      number: `DE AEOS ${p}/27`,
      holder: `p-${p}`,
      trust: 'attested',
      issuer: 'zoll',
      scope: { functions: ['warehouse'] },
      validFrom: new Date(now - 100 * DAY).toISOString(),
      state: 'active',
      confirmations: [],
      version: 1,
    };
    return createEvent(registry, {
      type: 'org.pdx.certificate.registered.v1',
      subject: `p-${p}`,
      source: 'urn:pdx:bench',
      time: now,
      data: { certificate, changedAt: new Date(now).toISOString(), changedBy: 'zoll' },
    });
  });

  // Baseline: the pure engine on the facts each evaluation sees.
  const policy = {
    buyerId: 'buyer-0',
    version: 0,
    schemes: defaultRecognisedSchemes(catalogues, 'DE'),
    issuers: {},
    review: defaultReviewPolicy,
  };
  const sample = (p: number): PartnerFacts => ({
    buyerId: 'buyer-0',
    partnerId: `p-${p}`,
    country: 'DE',
    functions: ['warehouse'],
    locations: ['DEHAM'],
    certificates: [(events[p] as PdxEvent & { data: { certificate: Certificate } }).data.certificate],
    declarations: [],
    reviews: [],
    incidents: [],
  });
  let t = performance.now();
  for (let i = 0; i < PARTNERS * BUYERS; i++) evaluate(sample(i % PARTNERS), policy, catalogues, now);
  const pureRate = (PARTNERS * BUYERS) / ((performance.now() - t) / 1000);

  // Events → status: project, evaluate every linked pair, record and publish the changes.
  t = performance.now();
  let next = 0;
  let changed = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < events.length; i = next++) {
        const event = events[i]!;
        const cause = { kind: 'event' as const, eventId: event.id, eventType: event.type };
        for (const pair of await applyFactEvent(facts, event)) {
          if ((await evaluatePair(deps, pair, cause)) === 'changed') changed++;
        }
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  if (changed !== PARTNERS * BUYERS) throw new Error(`expected ${PARTNERS * BUYERS} changes, got ${changed}`);
  const published = bus.readTopic('pdx.statuses').length;
  await bus.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const eventRate = PARTNERS / seconds;
  const evaluationRate = changed / seconds;
  console.log(
    `review benchmark: ${PARTNERS} partners x ${BUYERS} buyers, one certificate event per partner, embedded store and log\n`,
  );
  console.log(
    `${'rules engine alone (baseline)'.padEnd(46)} ${pureRate.toFixed(0).padStart(8)} evaluations/s`,
  );
  console.log(
    `${'events -> status (projected, evaluated, published)'.padEnd(46)} ${eventRate.toFixed(0).padStart(8)} events/s   ${evaluationRate.toFixed(0)} pair evaluations/s   ratio ${(evaluationRate / pureRate).toFixed(4)}x`,
  );
  console.log(
    `${seconds.toFixed(1)} s for ${PARTNERS} events; ${changed} status changes, ${published} events published (status changes and exemptions granted)\n`,
  );
}

await main();
