/**
 * `npm run bench` (part 3): the lapse scheduler and the alerts fan-out for many certificates
 * (`BENCH_CERTIFICATES`, default 100,000; 2 linked buyers per holder, 100 certificates per
 * holder), on the embedded store and log, each next to a baseline measured in the same run
 * on the same storage: a raw better-sqlite3 read of every schedule document (the least a
 * scan can do), and raw better-sqlite3 inserts of the same alert documents.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AlertDoc,
  applyAlertEvent,
  type BuyerSettingsDoc,
  type DeliveryDoc,
  type SubscriptionDoc,
} from '@pdx/alerts';
import { EmbeddedEventBus } from '@pdx/bus';
import {
  LapseScheduler,
  type LinkDoc,
  linkDocs,
  type MarkRecord,
  markRecords,
  type PolicyDoc,
  policyDocs,
  type ScheduleDoc,
  scheduleDocs,
} from '@pdx/certificates';
import { type Certificate, type PdxEvent, SchemaRegistry, topics } from '@pdx/contracts';
import { linkDoc } from '@pdx/read-models/testing';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';
import Database from 'better-sqlite3';

const N = Number(process.env.BENCH_CERTIFICATES ?? 100_000);
const PER_HOLDER = 100;
const DAY = 86_400_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-lapses-'));
  const registry = new SchemaRegistry();
  const store = openEmbeddedStore({ dir, database: 'certificates' });
  const bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
  const clock = new ManualClock('2027-01-01T00:00:00Z');
  const t0 = clock.now();
  const deps = {
    schedule: await store.collection<ScheduleDoc>(scheduleDocs),
    links: await store.collection<LinkDoc>(linkDocs),
    policies: await store.collection<PolicyDoc>(policyDocs),
    marks: await store.collection<MarkRecord>(markRecords),
  };
  // All certificates expire on one scheme-wide date, 100 days out.
  const until = new Date(t0 + 100 * DAY).toISOString();
  const holders = Math.ceil(N / PER_HOLDER);
  const writes: Promise<unknown>[] = [];
  for (let h = 0; h < holders; h++) {
    for (const buyer of ['buyer-a', 'buyer-b']) {
      writes.push(
        deps.links.put(linkDoc({ buyerId: buyer, partnerId: `holder-${h}`, functions: ['warehouse'] })),
      );
    }
  }
  for (let i = 0; i < N; i++) {
    const certificate: Certificate = {
      certificateId: `iso-28000~${i.toString(16).padStart(20, '0')}`,
      schemeId: 'iso-28000',
      number: `ISO-${i}`,
      holder: `holder-${Math.floor(i / PER_HOLDER)}`,
      trust: 'attested',
      issuer: 'tuv',
      scope: { functions: ['warehouse'] },
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: until,
      state: 'active',
      confirmations: [],
      version: 1,
    };
    writes.push(
      deps.schedule.insert({
        id: certificate.certificateId,
        holder: certificate.holder,
        certificate,
        scheduled: true,
        nextDueMs: t0 + 10 * DAY,
        version: 1,
      }),
    );
    if (writes.length >= 5_000) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);

  // Baseline: read and parse every schedule document once, raw.
  const raw = new Database(join(dir, 'certificates.sqlite'), { readonly: true });
  let t = performance.now();
  let parsed = 0;
  for (const row of raw.prepare(`SELECT doc FROM "lapse_schedule"`).iterate()) {
    parsed += JSON.parse((row as { doc: string }).doc).version;
  }
  const rawReadRate = N / ((performance.now() - t) / 1000);
  raw.close();
  if (parsed !== N) throw new Error('baseline read the wrong rows');

  const scheduler = new LapseScheduler({
    ...deps,
    bus,
    registry,
    clock,
    wallClock: clock,
    logger: silentLogger(),
    source: 'urn:pdx:pdx:certificates',
    intervalMs: 60_000,
    batchSize: 500,
    concurrency: 32,
  });
  // Nothing due: what every interval costs.
  t = performance.now();
  const idle = await scheduler.scan();
  const idleMs = performance.now() - t;
  // The 90-day threshold of every certificate falls due at once.
  clock.set(t0 + 10 * DAY);
  t = performance.now();
  const result = await scheduler.scan();
  const scanS = (performance.now() - t) / 1000;
  if (idle.evaluated !== 0 || result.evaluated !== N || result.published !== 2 * N) {
    throw new Error(`unexpected scan result ${JSON.stringify({ idle, result })}`);
  }

  // Alerts: the warnings the scan published, fanned out into inboxes and deliveries.
  const alertStore = openEmbeddedStore({ dir, database: 'alerts' });
  const fanOut = {
    alerts: await alertStore.collection<AlertDoc>({
      name: 'alerts',
      indexes: [{ fields: ['buyerId', 'createdMs'] }],
    }),
    subscriptions: await alertStore.collection<SubscriptionDoc>({
      name: 'subscriptions',
      indexes: [{ fields: ['buyerId'] }],
    }),
    deliveries: await alertStore.collection<DeliveryDoc>({
      name: 'deliveries',
      indexes: [{ fields: ['state', 'nextAttemptMs'] }, { fields: ['buyerId', 'state'] }],
    }),
    links: await alertStore.collection<LinkDoc>({
      name: 'links',
      indexes: [{ fields: ['partnerId', 'state'] }],
    }),
    settings: await alertStore.collection<BuyerSettingsDoc>({ name: 'buyer_settings', indexes: [] }),
    clock,
    wallClock: clock,
    batchWindowMs: 2_000,
    onAlert: () => {},
  };
  for (let h = 0; h < holders; h++) {
    for (const buyer of ['buyer-a', 'buyer-b']) {
      await fanOut.links.put(linkDoc({ buyerId: buyer, partnerId: `holder-${h}`, functions: ['warehouse'] }));
    }
  }
  for (const buyer of ['buyer-a', 'buyer-b']) {
    await fanOut.subscriptions.insert({
      id: `sub-${buyer}`,
      buyerId: buyer,
      url: 'https://hooks.example.com/pdx',
      kinds: [],
      createdAt: clock.now().toString(),
    });
  }
  const events = bus.readTopic(topics.certificates).map((m) => JSON.parse(m.value) as PdxEvent);
  t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < events.length; i = next++) await applyAlertEvent(fanOut, events[i]!);
    }),
  );
  const alertsS = (performance.now() - t) / 1000;
  const alertCount = events.length;

  // Baseline: the same alert documents inserted raw, 500 per fsync'd transaction.
  const sample = await fanOut.alerts.find({}, { limit: alertCount });
  const rawDb = new Database(join(dir, 'raw.sqlite'));
  rawDb.pragma('journal_mode = WAL');
  rawDb.pragma('synchronous = FULL');
  rawDb.exec('CREATE TABLE alerts (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
  const insert = rawDb.prepare('INSERT INTO alerts (id, doc) VALUES (?, ?)');
  t = performance.now();
  for (let i = 0; i < sample.length; i += 500) {
    rawDb.transaction(() => {
      for (const doc of sample.slice(i, i + 500)) insert.run(doc.id, JSON.stringify(doc));
    })();
  }
  const rawInsertRate = sample.length / ((performance.now() - t) / 1000);
  rawDb.close();

  await bus.close();
  await store.close();
  await alertStore.close();
  rmSync(dir, { recursive: true, force: true });

  const scanRate = N / scanS;
  const alertRate = alertCount / alertsS;
  console.log(
    `lapse benchmark: ${N} certificates of ${holders} holders, 2 linked buyers each, on the embedded store\n`,
  );
  console.log(
    `${'raw read of every schedule document (baseline)'.padEnd(52)} ${rawReadRate.toFixed(0).padStart(8)} docs/s`,
  );
  console.log(`${'scan with nothing due'.padEnd(52)} ${idleMs.toFixed(1).padStart(8)} ms`);
  console.log(
    `${`scan with all ${N} due (${2 * N} warnings published)`.padEnd(52)} ${scanS.toFixed(1).padStart(8)} s   ${scanRate.toFixed(0)} certificates/s   ratio ${(scanRate / rawReadRate).toFixed(4)}x`,
  );
  console.log(
    `${'raw insert of the alert documents (baseline)'.padEnd(52)} ${rawInsertRate.toFixed(0).padStart(8)} docs/s`,
  );
  console.log(
    `${'alerts fan-out (inbox + delivery per alert)'.padEnd(52)} ${alertRate.toFixed(0).padStart(8)} alerts/s   ratio ${(alertRate / rawInsertRate).toFixed(4)}x\n`,
  );
}

await main();
