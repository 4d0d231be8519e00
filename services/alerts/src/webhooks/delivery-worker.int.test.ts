import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ExchangeSigner, generateSigningKey } from '@pdx/crypto';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { type Collection, type DocumentStore, openEmbeddedStore } from '@pdx/store';
import { importJWK } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlertDoc,
  alertDocs,
  type BuyerSettingsDoc,
  buyerSettingsDocs,
  type DeliveryDoc,
  deliveryDocs,
  type LinkDoc,
  linkDocs,
  type SubscriptionDoc,
  subscriptionDocs,
} from '../alert-records.js';
import { DeliveryWorker } from './delivery-worker.js';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './retry-schedule.js';
import { standardWebhookSigner } from './standard-webhooks.js';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.parse('2027-03-01T00:00:00Z');
const schedule = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);

interface Attempt {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real receiver on 127.0.0.1 whose answer the test decides per attempt (`answer`), and which
 * notes the controlled clock's time of each attempt: the receiver's own view of "when".
 */
async function startReceiver(clock: ManualClock) {
  const attempts: Attempt[] = [];
  let answer: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 204 });
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      attempts.push({ at: clock.now(), headers: req.headers, body });
      const { status, headers } = answer(attempts.length);
      res.writeHead(status, headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    attempts,
    answer: (fn: typeof answer) => {
      answer = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook delivery on the retry schedule (controlled clock, real receiver, embedded store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-deliveries-'));
  const clock = new ManualClock(T0);
  let store: DocumentStore;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let worker: DeliveryWorker;
  let alerts: Collection<AlertDoc>;
  let deliveries: Collection<DeliveryDoc>;
  let n = 0;

  beforeAll(async () => {
    store = openEmbeddedStore({ dir, database: 'alerts' });
    receiver = await startReceiver(clock);
    const exchange = await generateSigningKey('EdDSA', 'exchange-test');
    const signer: ExchangeSigner = {
      key: (await importJWK(exchange.privateJwk, 'EdDSA')) as ExchangeSigner['key'],
      kid: exchange.privateJwk.kid,
      alg: 'EdDSA',
    };
    deliveries = await store.collection<DeliveryDoc>(deliveryDocs);
    const collections = {
      alerts: await store.collection<AlertDoc>(alertDocs),
      subscriptions: await store.collection<SubscriptionDoc>(subscriptionDocs),
      deliveries,
      links: await store.collection<LinkDoc>(linkDocs),
      settings: await store.collection<BuyerSettingsDoc>(buyerSettingsDocs),
    };
    alerts = collections.alerts;
    await collections.subscriptions.insert({
      id: 'sub-1',
      buyerId: 'globex',
      url: receiver.url,
      kinds: [],
      createdAt: new Date(T0).toISOString(),
    });
    worker = new DeliveryWorker({
      ...collections,
      signer,
      webhookSigner: standardWebhookSigner(exchange.privateJwk),
      clock,
      wallClock: clock,
      logger: silentLogger(),
      targets: { allowPrivate: true, allowedHosts: [] },
      intervalMs: 1_000,
      retrySchedule: schedule,
      retryJitterPercent: 20,
      timeoutMs: 5_000,
      maxHoldMs: 10_000,
    });
  });
  afterAll(async () => {
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new alert with its delivery due now; the receiver's log starts empty. */
  let deliveryId: string;
  beforeEach(async () => {
    n++;
    receiver.attempts.length = 0;
    const alertId = `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
    deliveryId = `10000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
    await alerts.insert({
      id: alertId,
      buyerId: 'globex',
      kind: 'suspended',
      certificateId: `iso-28000~${n}`,
      holder: 'acme',
      schemeId: 'iso-28000',
      number: `ISO-${n}`,
      occurredAt: new Date(clock.now()).toISOString(),
      summary: 'suspended',
      sourceEventId: `event-${n}`,
      createdAt: new Date(clock.now()).toISOString(),
      createdMs: clock.now(),
      acknowledged: false,
    });
    await deliveries.insert({
      id: deliveryId,
      buyerId: 'globex',
      subscriptionId: 'sub-1',
      url: receiver.url,
      alertIds: [alertId],
      digest: false,
      state: 'pending',
      attempts: 0,
      nextAttemptMs: clock.now(),
      createdAt: new Date(clock.now()).toISOString(),
      version: 1,
    });
  });
  afterEach(async () => {
    // Nothing of one test is left due for the next.
    const left = await deliveries.get(deliveryId);
    if (left?.state === 'pending') await deliveries.put({ ...left, state: 'dead' });
  });

  /**
   * Runs the worker at each attempt's due time, checking on the way that each wait is its
   * schedule step ± 20 % and that nothing is attempted a millisecond early.
   */
  async function followSchedule(): Promise<DeliveryDoc> {
    for (let i = 0; i < 30; i++) {
      await worker.runOnce();
      const doc = (await deliveries.get(deliveryId))!;
      if (doc.state !== 'pending') return doc;
      const step = schedule[doc.attempts - 1]!;
      const wait = doc.nextAttemptMs - clock.now();
      expect(wait, `wait after attempt ${doc.attempts}`).toBeGreaterThanOrEqual(step * 0.8);
      expect(wait, `wait after attempt ${doc.attempts}`).toBeLessThanOrEqual(step * 1.2);
      const seen = receiver.attempts.length;
      clock.set(doc.nextAttemptMs - 1);
      await worker.runOnce();
      expect(receiver.attempts.length, 'an attempt before its time').toBe(seen);
      clock.set(doc.nextAttemptMs);
    }
    throw new Error('the delivery neither ended nor gave up');
  }

  it('retries at the schedule’s times ± jitter, so a receiver down for two days gets the delivery when it is back', async () => {
    const start = clock.now();
    receiver.answer(() => (clock.now() < start + 2 * DAY ? { status: 503 } : { status: 204 }));
    const done = await followSchedule();
    expect(done.state).toBe('delivered');
    const times = receiver.attempts.map((a) => a.at - start);
    expect(times.at(-1)).toBeGreaterThanOrEqual(2 * DAY);
    expect(times.at(-2)).toBeLessThan(2 * DAY);
    expect(done.attempts).toBe(receiver.attempts.length);
    // Attempt 10 comes 47 h 35 min after the first (± jitter), 11 after 57 h 35 min, 12 after 67 h 35 min.
    expect(done.attempts).toBeGreaterThanOrEqual(10);
    expect(done.attempts).toBeLessThanOrEqual(12);
    // Every attempt is the same delivery (webhook-id, Idempotency-Key), stamped with its own time.
    receiver.attempts.forEach((a, i) => {
      expect(a.headers['webhook-id']).toBe(deliveryId);
      expect(a.headers['idempotency-key']).toBe(deliveryId);
      expect(a.headers['pdx-delivery-attempt']).toBe(String(i + 1));
      expect(a.headers['webhook-timestamp']).toBe(String(Math.floor(a.at / 1000)));
      expect(a.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
      expect(a.headers['pdx-signature']).toMatch(/^[\w-]+\.\.[\w-]+$/);
    });
  });

  it('gives up only when the schedule is exhausted, after about three days; the dead delivery stays listed', async () => {
    const start = clock.now();
    receiver.answer(() => ({ status: 503 }));
    const dead = await followSchedule();
    expect(dead).toMatchObject({ state: 'dead', attempts: schedule.length + 1, lastStatus: 503 });
    expect(receiver.attempts).toHaveLength(12);
    const gaveUpAfter = receiver.attempts.at(-1)!.at - start;
    const total = schedule.reduce((a, b) => a + b, 0);
    expect(gaveUpAfter).toBeGreaterThanOrEqual(total * 0.8);
    expect(gaveUpAfter).toBeLessThanOrEqual(total * 1.2);
    expect(gaveUpAfter).toBeGreaterThan(2 * DAY);
    expect((await deliveries.find({ buyerId: 'globex', state: 'dead' })).map((d) => d.id)).toContain(
      deliveryId,
    );
  });

  it('takes 410 Gone as final: dead at once, not retried for days', async () => {
    receiver.answer(() => ({ status: 410 }));
    await worker.runOnce();
    expect(await deliveries.get(deliveryId)).toMatchObject({ state: 'dead', attempts: 1, lastStatus: 410 });
    clock.advance(10 * DAY);
    await worker.runOnce();
    expect(receiver.attempts).toHaveLength(1);
  });

  it('waits as long as Retry-After asks on 429 and 503, within the longest step; ignores it otherwise', async () => {
    clock.set(Math.ceil(clock.now() / 1000) * 1000); // HTTP dates have whole seconds
    const waits: number[] = [];
    const answers = [
      { status: 429, headers: { 'retry-after': '3600' } },
      { status: 503, headers: { 'retry-after': new Date(clock.now() + 3 * H + 7_200_000).toUTCString() } },
      { status: 503, headers: { 'retry-after': String(30 * 86_400) } },
      { status: 500, headers: { 'retry-after': '86400' } },
      { status: 503, headers: { 'retry-after': '1' } },
      { status: 204 },
    ];
    receiver.answer((i) => answers[i - 1]!);
    for (let i = 0; i < answers.length; i++) {
      await worker.runOnce();
      const doc = (await deliveries.get(deliveryId))!;
      if (doc.state !== 'pending') break;
      waits.push(doc.nextAttemptMs - clock.now());
      clock.set(doc.nextAttemptMs);
    }
    expect((await deliveries.get(deliveryId))!.state).toBe('delivered');
    expect(waits[0]).toBe(H); // 429: an hour, not the schedule's 5 seconds
    expect(waits[1]).toBe(4 * H); // an HTTP date, 4 h after the second attempt (step 2 is 5 min)
    expect(waits[2]).toBe(10 * H); // 30 days asked: the longest step
    expect(waits[3]).toBeGreaterThanOrEqual(2 * H * 0.8); // a 500: the schedule (step 4, 2 h)
    expect(waits[3]).toBeLessThanOrEqual(2 * H * 1.2);
    expect(waits[4]).toBeGreaterThanOrEqual(5 * H * 0.8); // asked for less than the step: the step
  });
});
