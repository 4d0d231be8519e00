import { deterministicEventId } from '@pdx/contracts';
import { type ExchangeSigner, SIGNATURE_HEADER } from '@pdx/crypto';
import { type Clock, isoNow, type Logger, PeriodicTask } from '@pdx/runtime';
import { DEFAULT_DIGEST_THRESHOLD } from '@pdx/schemes';
import type { AlertDoc, DeliveryDoc } from '../alert-records.js';
import type { AlertStore } from '../fan-out/apply-alert-event.js';
import { webhookAlert } from '../inbox/alert-view.js';
import { deliveryAfterAttempt } from './delivery-decisions.js';
import type { AttemptOutcome } from './delivery-metrics.js';
import { type StandardWebhookSigner, standardWebhookHeaders } from './standard-webhooks.js';
import { signWebhookBody } from './webhook-signature.js';
import { checkResolvedTarget, checkWebhookUrl, type WebhookTargetPolicy } from './webhook-target.js';

export interface DeliveryWorkerDeps extends AlertStore {
  /** The exchange's key: Pdx-Signature. */
  signer: ExchangeSigner;
  /** The Ed25519 key of the Standard Webhooks headers (webhook-signature v1a). */
  webhookSigner: StandardWebhookSigner;
  clock: Clock;
  /** Real time: attempts, their timestamps and the retry schedule. */
  wallClock: Clock;
  logger: Logger;
  targets: WebhookTargetPolicy;
  intervalMs: number;
  /**
   * The delays between attempts (ms): attempt n + 1 comes `retrySchedule[n - 1]` after attempt
   * n failed; after the last step's attempt fails the delivery is dead.
   */
  retrySchedule: readonly number[];
  /** Each delay is spread over ± this percentage. */
  retryJitterPercent: number;
  /** In [0, 1); Math.random by default. */
  random?: () => number;
  timeoutMs: number;
  /** Longest a due first attempt waits for a burst of alerts to the same webhook to end. */
  maxHoldMs: number;
  fetch?: typeof fetch;
  /** Counts attempts by outcome (see webhookMetrics). */
  attempts?: { inc(labels: { outcome: AttemptOutcome }): void };
}

export interface DeliveryPass {
  attempted: number;
  delivered: number;
  failed: number;
  dead: number;
  digests: number;
}

/**
 * Delivers pending webhook deliveries: signed twice — a detached JWS of the body with the
 * exchange's key (`Pdx-Signature`) and the Standard Webhooks headers (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature` v1a) — with an `Idempotency-Key`, retried on a
 * schedule spanning days with jitter, and after its last step marked dead — visible through
 * the API, never dropped. A 410 Gone is the receiver's final word on that delivery (dead at
 * once); a 429 or 503 with Retry-After postpones the next attempt to then, up to the
 * schedule's longest step. First attempts of one webhook that fall due together (a burst,
 * each within a batch window of the last), at least the buyer's digest threshold of them,
 * go as one digest.
 */
export class DeliveryWorker {
  readonly #deps: DeliveryWorkerDeps;
  readonly #task: PeriodicTask;

  constructor(deps: DeliveryWorkerDeps) {
    this.#deps = deps;
    this.#task = new PeriodicTask('delivery pass', () => this.runOnce(), deps.intervalMs, deps.logger);
  }

  start(): void {
    this.#task.start();
  }

  async stop(): Promise<void> {
    await this.#task.stop();
  }

  async runOnce(): Promise<DeliveryPass> {
    const d = this.#deps;
    const now = d.wallClock.now();
    const pass: DeliveryPass = { attempted: 0, delivered: 0, failed: 0, dead: 0, digests: 0 };
    const pending = await d.deliveries.find(
      { state: 'pending' },
      { sort: { field: 'nextAttemptMs', order: 1 }, limit: 500 },
    );
    for (const delivery of await this.#digest(pending, now, pass)) {
      await this.#attempt(delivery, pass);
    }
    return pass;
  }

  /**
   * The deliveries to attempt now. When one first attempt of a webhook is due, all first
   * attempts waiting for that webhook go with it; if they are at least the buyer's digest
   * threshold, as one digest that replaces them.
   */
  async #digest(pending: DeliveryDoc[], now: number, pass: DeliveryPass): Promise<DeliveryDoc[]> {
    const d = this.#deps;
    const out: DeliveryDoc[] = [];
    const fresh = new Map<string, DeliveryDoc[]>();
    for (const x of pending) {
      if (x.attempts === 0 && !x.digest)
        fresh.set(x.subscriptionId, [...(fresh.get(x.subscriptionId) ?? []), x]);
      else if (x.nextAttemptMs <= now) out.push(x);
    }
    for (const group of fresh.values()) {
      if (!group.some((x) => x.nextAttemptMs <= now)) continue;
      // Alerts still arriving for this webhook (a new one less than a batch window ago): wait
      // for the burst to end, so it goes as one digest, but never longer than maxHoldMs.
      const newest = Math.max(...group.map((x) => x.nextAttemptMs));
      const oldest = Math.min(...group.map((x) => x.nextAttemptMs));
      if (newest > now && now - oldest < d.maxHoldMs) continue;
      const buyerId = group[0]!.buyerId;
      const threshold = (await d.settings.get(buyerId))?.digestThreshold ?? DEFAULT_DIGEST_THRESHOLD;
      if (group.length < threshold) {
        out.push(...group);
        continue;
      }
      const ids = group.map((x) => x.id).sort();
      const digest: DeliveryDoc = {
        ...group[0]!,
        id: deterministicEventId('digest', ...ids),
        alertIds: group.flatMap((x) => x.alertIds),
        digest: true,
        createdAt: isoNow(d.clock),
        version: 1,
      };
      await d.deliveries.insert(digest);
      for (const x of group) {
        await d.deliveries.replaceIf(
          { ...x, state: 'merged', mergedInto: digest.id, version: x.version + 1 },
          { version: x.version },
        );
      }
      pass.digests++;
      out.push((await d.deliveries.get(digest.id)) ?? digest);
    }
    return out;
  }

  async #attempt(delivery: DeliveryDoc, pass: DeliveryPass): Promise<void> {
    const d = this.#deps;
    pass.attempted++;
    const attempt = delivery.attempts + 1;
    let status: number | undefined;
    let error: string | undefined;
    let retryAfter: string | null = null;
    try {
      if (!(await d.subscriptions.get(delivery.subscriptionId)))
        throw new Error('the subscription was deleted');
      const alerts = (await Promise.all(delivery.alertIds.map((id) => d.alerts.get(id)))).filter(
        (a): a is AlertDoc => a !== undefined,
      );
      const body = JSON.stringify(
        delivery.digest
          ? { type: 'pdx.alert-digest', deliveryId: delivery.id, alerts: alerts.map(webhookAlert) }
          : { type: 'pdx.alert', deliveryId: delivery.id, alert: webhookAlert(alerts[0]!) },
      );
      const url = checkWebhookUrl(delivery.url, d.targets);
      await checkResolvedTarget(url, d.targets);
      const res = await (d.fetch ?? fetch)(url, {
        method: 'POST',
        redirect: 'error',
        signal: AbortSignal.timeout(d.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'idempotency-key': delivery.id,
          'pdx-delivery-attempt': String(attempt),
          [SIGNATURE_HEADER]: await signWebhookBody(body, d.signer),
          // The same id on every attempt (receivers dedupe on it), this attempt's time.
          ...standardWebhookHeaders(d.webhookSigner, delivery.id, d.wallClock.now(), body),
        },
        body,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      await res.body?.cancel();
      if (!res.ok) error = `the receiver answered ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const next = deliveryAfterAttempt(delivery, { status, error, retryAfter }, d, {
      now: d.wallClock.now(),
      at: isoNow(d.clock),
      draw: (d.random ?? Math.random)(),
    });
    if (next.state === 'delivered') pass.delivered++;
    else if (next.state === 'dead') {
      pass.dead++;
      d.logger.warn(
        { deliveryId: delivery.id, url: delivery.url, attempts: attempt, error },
        'webhook delivery is dead',
      );
    } else pass.failed++;
    // Lost to a concurrent write (another replica attempted it too): that one's outcome stands.
    if (await d.deliveries.replaceIf(next, { version: delivery.version })) {
      d.attempts?.inc({ outcome: next.state === 'pending' ? 'failed' : (next.state as AttemptOutcome) });
    }
  }
}
