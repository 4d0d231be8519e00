/**
 * `npm run bench` (part 9): the web console. (a) What the browser downloads on first load —
 * every script and style sheet of the console's origin, from the sign-in page to the first
 * page of partners, gzip-compressed here (level 9) — against a budget of 150 KB. (b) The time
 * from clicking "Sign in" to the first page of partners rendered ("Showing 1–50 of …") for a
 * buyer with `BENCH_PARTNERS` linked partners (default 10,000), in headless Chromium against
 * the all-in-one process (`npm start`), next to the same for a buyer with 50 partners in the
 * same run (the baseline: the same sign-in, request and render with a list that fits one
 * page), as a ratio; with the list request's own time from the page's Resource Timing.
 *
 * Seeding: the quickest honest way is the review service's own store, filled through its
 * own projection and evaluation functions (`applyFactEvent`'s documents, `evaluatePair`, which
 * also writes the list rows) on the data folder the process then starts on — as if it had
 * consumed the parties' registrations and accepted links from its log. The status events
 * those evaluations publish go to a scratch log, so that the other services do not spend the
 * measured time consuming 10,000 decisions. Only the buyers are registered through the API
 * (they sign in); the partners exist in the review service's read model only, so their own
 * pages and intake know nothing of them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { EmbeddedEventBus } from '@pdx/bus';
import { SchemaRegistry } from '@pdx/contracts';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { linkDoc, partyDoc } from '@pdx/read-models/testing';
import {
  type EvaluationDeps,
  evaluatePair,
  openFactStore,
  type PartnerRowDoc,
  partnerRowDocs,
  type StatusRecord,
  statusRecords,
} from '@pdx/review';
import { silentLogger, systemClock } from '@pdx/runtime';
import { loadCatalogues } from '@pdx/schemes/load';
import { openEmbeddedStore } from '@pdx/store';
import { accessTokens, viaUrl } from '../e2e/access-tokens.js';
import { browserAvailable, openBrowser } from '../e2e/browser.js';
import { type RunningService, spawnService } from '../e2e/spawn-service.js';

/** The repository (this file runs from test/dist/bench/). */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 10_000);
const BASELINE_PARTNERS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BUDGET_KB = 150;
const TARGET_MS = 1000;
const COUNTRIES = ['DE', 'FR', 'NL', 'BE', 'PL'];
const FUNCTIONS = ['warehouse', 'ocean-carrier', 'road-carrier', 'forwarder'] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The review service's read model of `count` partners linked to `buyerId`, decided. */
async function seed(dataDir: string, buyerId: string, count: number): Promise<void> {
  const registry = new SchemaRegistry();
  const store = openEmbeddedStore({ dir: dataDir, database: 'review' });
  const scratch = mkdtempSync(join(tmpdir(), 'pdx-bench-console-log-'));
  const bus = new EmbeddedEventBus({ dataDir: scratch, registry, logger: silentLogger() });
  const facts = await openFactStore(store);
  const deps: EvaluationDeps = {
    ...facts,
    statuses: await store.collection<StatusRecord>(statusRecords),
    partnerRows: await store.collection<PartnerRowDoc>(partnerRowDocs),
    catalogues: loadCatalogues(registry),
    bus,
    registry,
    clock: systemClock,
    logger: silentLogger(),
    source: 'urn:pdx:bench',
  };
  const writes: Promise<unknown>[] = [];
  for (let p = 0; p < count; p++) {
    const partnerId = `${buyerId}-p-${String(p).padStart(5, '0')}`;
    const country = COUNTRIES[p % COUNTRIES.length]!;
    writes.push(
      facts.parties.put(
        partyDoc({
          id: partnerId,
          legalName: `Partner ${p} Logistics`,
          country,
          identifiers: [{ scheme: 'EORI', value: `${country}${String(p).padStart(12, '0')}` }],
          roles: ['partner'],
          keys: [],
        }),
      ),
      facts.links.put(linkDoc({ buyerId, partnerId, functions: [FUNCTIONS[p % FUNCTIONS.length]!] })),
    );
    if (writes.length > 5_000) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let p = next++; p < count; p = next++) {
        const partnerId = `${buyerId}-p-${String(p).padStart(5, '0')}`;
        const eventId = `bench-accepted-${buyerId}-${p}`;
        await evaluatePair(
          deps,
          { buyerId, partnerId },
          {
            kind: 'event',
            eventId,
            eventType: 'org.pdx.relationship.accepted.v1',
          },
        );
      }
    }),
  );
  const rows = await deps.partnerRows!.count({ buyerId });
  if (rows !== count) throw new Error(`seeded ${rows} list rows for ${buyerId}, not ${count}`);
  await bus.close();
  await store.close();
  rmSync(scratch, { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (!browserAvailable) throw new Error('console benchmark: no Chromium (apt-get install -y chromium)');
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-console-'));
  const dataDir = join(dir, 'data');
  const big = 'bench-buyer';
  const small = 'bench-small';
  const t = performance.now();
  await seed(dataDir, big, PARTNERS);
  await seed(dataDir, small, BASELINE_PARTNERS);
  const seedSeconds = (performance.now() - t) / 1000;
  console.log(`seeded ${PARTNERS} + ${BASELINE_PARTNERS} partners in ${seedSeconds.toFixed(1)} s`);

  const ops = await generateSigningKey('EdDSA', 'ops-1');
  const keys = new Map<string, PrivateJwk>([['operator', ops.privateJwk]]);
  let exchange: RunningService | undefined;
  let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
  try {
    exchange = await spawnService(join(repoRoot, 'services/standalone/dist/main.js'), {
      PDX_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PDX_OPERATORS: JSON.stringify([{ id: 'operator', jwks: { keys: [ops.publicJwk] } }]),
    });
    const url = exchange.url;
    const tokens = accessTokens({
      now: () => Date.now(),
      keyOf: (who) => keys.get(who)!,
      transport: viaUrl(() => url),
    });
    const keyFiles = new Map<string, string>();
    for (const buyerId of [big, small]) {
      const key = await generateSigningKey('EdDSA', `${buyerId}-1`);
      keys.set(buyerId, key.privateJwk);
      const res = await fetch(`${url}/v1/parties`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tokens.tokenFor('operator')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          partyId: buyerId,
          legalName: buyerId,
          country: 'DE',
          roles: ['buyer'],
          jwks: { keys: [key.publicJwk] },
        }),
      });
      if (res.status !== 201) throw new Error(`registering ${buyerId}: ${res.status} ${await res.text()}`);
      const file = join(dir, `${buyerId}.key.json`);
      writeFileSync(file, JSON.stringify(key.privateJwk), { mode: 0o600 });
      keyFiles.set(buyerId, file);
    }

    browser = await openBrowser(new URL(url).origin);
    const assets = { script: 0, stylesheet: 0, raw: 0 };
    /** One sign-in: ms from the click to the first page shown, and the list request's own ms. */
    const signIn = async (buyerId: string, count: number, measureAssets: boolean) => {
      const w = await browser!.newPage();
      const { page } = w;
      const pending: Promise<void>[] = [];
      if (measureAssets) {
        page.on('response', (response) => {
          const type = response.request().resourceType();
          if (type !== 'script' && type !== 'stylesheet') return;
          pending.push(
            response.body().then((body) => {
              assets[type] += gzipSync(body, { level: 9 }).length;
              assets.raw += body.length;
            }),
          );
        });
      }
      await page.goto(`${url}/`);
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await page.getByLabel('Party id').fill(buyerId);
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByLabel('Key file').click(),
      ]);
      await chooser.setFiles(keyFiles.get(buyerId)!);
      const shown = `Showing 1–${Math.min(50, count)} of ${count.toLocaleString('en-GB')}`;
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('p.showing', { hasText: shown }).waitFor({ timeout: 30_000 });
      const ms = performance.now() - t0;
      const requestMs = await page.evaluate(() => {
        const entries = (
          globalThis as unknown as {
            performance: { getEntriesByType(t: string): { name: string; duration: number }[] };
          }
        ).performance.getEntriesByType('resource');
        return entries.filter((e) => e.name.includes('/v1/partner-status')).at(-1)?.duration ?? Number.NaN;
      });
      await Promise.all(pending);
      if (w.problems.length > 0) throw new Error(`the page had problems: ${w.problems.join('; ')}`);
      await page.close();
      return { ms, requestMs };
    };

    // Warm-up (the process's first requests, the browser's cache of nothing: each page is new).
    await signIn(small, BASELINE_PARTNERS, true);
    const bigRuns: { ms: number; requestMs: number }[] = [];
    const smallRuns: { ms: number; requestMs: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      smallRuns.push(await signIn(small, BASELINE_PARTNERS, false));
      bigRuns.push(await signIn(big, PARTNERS, false));
    }
    const bigMs = median(bigRuns.map((r) => r.ms));
    const smallMs = median(smallRuns.map((r) => r.ms));
    const kb = (bytes: number) => bytes / 1024;
    const total = assets.script + assets.stylesheet;
    console.log(
      `console benchmark: headless Chromium against the all-in-one process; ${PARTNERS.toLocaleString('en-GB')} partners seeded in ${seedSeconds.toFixed(1)} s; median of ${ROUNDS} sign-ins each\n`,
    );
    console.log(
      `${'first load, gzip (JS + CSS)'.padEnd(44)} ${kb(total).toFixed(1).padStart(7)} KB   (JS ${kb(assets.script).toFixed(1)} KB, CSS ${kb(assets.stylesheet).toFixed(1)} KB, ${kb(assets.raw).toFixed(0)} KB uncompressed)   budget ${BUDGET_KB} KB: ${kb(total) <= BUDGET_KB ? 'within' : 'OVER'}`,
    );
    console.log(
      `${`sign in → first page, ${PARTNERS.toLocaleString('en-GB')} partners`.padEnd(44)} ${bigMs.toFixed(0).padStart(7)} ms   (list request ${median(bigRuns.map((r) => r.requestMs)).toFixed(0)} ms)   target ${TARGET_MS} ms: ${bigMs <= TARGET_MS ? 'met' : 'MISSED'}`,
    );
    console.log(
      `${`baseline: the same, ${BASELINE_PARTNERS} partners`.padEnd(44)} ${smallMs.toFixed(0).padStart(7)} ms   (list request ${median(smallRuns.map((r) => r.requestMs)).toFixed(0)} ms)`,
    );
    const bigRequest = median(bigRuns.map((r) => r.requestMs));
    const smallRequest = median(smallRuns.map((r) => r.requestMs));
    console.log(
      `${`ratio (${PARTNERS.toLocaleString('en-GB')} / ${BASELINE_PARTNERS})`.padEnd(44)} ${(bigMs / smallMs).toFixed(2).padStart(7)}×   (list request ${(bigRequest / smallRequest).toFixed(2)}×)\n`,
    );
  } finally {
    await browser?.close();
    if (exchange) {
      exchange.child.kill('SIGTERM');
      await exchange.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
