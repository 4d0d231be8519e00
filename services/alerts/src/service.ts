import type { Subscription } from '@pdx/bus';
import { topics } from '@pdx/contracts';
import type { ServiceDefinition } from '@pdx/host';
import { applyPartyEvent } from '@pdx/read-models';
import { isoNow, RuntimeError } from '@pdx/runtime';
import { type AppliedEvent, appliedEvents, applyOnce } from '@pdx/store';
import {
  type AlertDoc,
  alertDocs,
  type BuyerSettingsDoc,
  buyerSettingsDocs,
  type DeliveryDoc,
  deliveryDocs,
  type LinkDoc,
  linkDocs,
  type PartyDoc,
  partyDocs,
  type SubscriptionDoc,
  subscriptionDocs,
} from './alert-records.js';
import { applyAlertEvent } from './fan-out/apply-alert-event.js';
import { alertRoutes } from './inbox/alert-routes.js';
import { AlertFeed } from './stream/alert-feed.js';
import { webhookMetrics } from './webhooks/delivery-metrics.js';
import { DeliveryWorker } from './webhooks/delivery-worker.js';
import {
  DEFAULT_RETRY_JITTER_PERCENT,
  DEFAULT_RETRY_SCHEDULE,
  parseRetrySchedule,
} from './webhooks/retry-schedule.js';
import { loadWebhookKey } from './webhooks/webhook-key.js';

export const ALERTS_GROUP = 'pdx-alerts';

/**
 * alerts: turns certificate events into alerts for the buyers concerned — the buyer of a
 * lapse warning, every buyer with an accepted link for everything else — and delivers them:
 * inbox, live stream, and signed webhooks with retries, digests and dead deliveries.
 */
export const alertsService: ServiceDefinition = {
  name: 'alerts',
  async create({ bus, store, clock, wallClock, exchangeKey, logger, config, mode, dataDir, metrics }) {
    const alertStore = {
      alerts: await store.collection<AlertDoc>(alertDocs),
      subscriptions: await store.collection<SubscriptionDoc>(subscriptionDocs),
      deliveries: await store.collection<DeliveryDoc>(deliveryDocs),
      links: await store.collection<LinkDoc>(linkDocs),
      settings: await store.collection<BuyerSettingsDoc>(buyerSettingsDocs),
    };
    const applied = await store.collection<AppliedEvent>(appliedEvents);
    const parties = await store.collection<PartyDoc>(partyDocs);
    const exchange = await exchangeKey();
    const { signer, publicJwk } = exchange;
    const webhookKey = await loadWebhookKey(config, mode, dataDir, logger, exchange);
    for (const removed of [
      'PDX_WEBHOOK_MAX_ATTEMPTS',
      'PDX_WEBHOOK_RETRY_BASE_MS',
      'PDX_WEBHOOK_RETRY_MAX_MS',
    ]) {
      // A retry policy someone tuned must not silently turn into another one.
      if (config.optionalString(removed) !== undefined) {
        throw new RuntimeError(
          'PDX_CONFIG_INVALID',
          `${removed} is no longer read: set PDX_WEBHOOK_RETRY_SCHEDULE, the delays between attempts (default "${DEFAULT_RETRY_SCHEDULE}")`,
        );
      }
    }
    const retrySchedule = parseRetrySchedule(
      config.string('PDX_WEBHOOK_RETRY_SCHEDULE', DEFAULT_RETRY_SCHEDULE),
    );
    const targets = {
      allowPrivate: config.bool('PDX_WEBHOOK_ALLOW_PRIVATE', false),
      allowedHosts: config.list('PDX_WEBHOOK_ALLOWED_HOSTS').map((h) => h.toLowerCase()),
    };
    const batchWindowMs = config.int('PDX_ALERT_BATCH_WINDOW_MS', 2_000, { min: 0, max: 600_000 });
    // Alerts other replicas store reach this one's streams by polling; with several replicas
    // (Kafka and MongoDB) streams keep a second behind, so one stored a little late keeps its place.
    const feed = new AlertFeed(
      wallClock,
      config.int('PDX_ALERT_STREAM_SETTLE_MS', mode === 'production' ? 1_000 : 0, { min: 0, max: 60_000 }),
    );
    const worker = new DeliveryWorker({
      ...alertStore,
      signer,
      webhookSigner: webhookKey.signer,
      clock,
      wallClock,
      logger: logger.child({ component: 'webhooks' }),
      targets,
      intervalMs: config.int('PDX_WEBHOOK_INTERVAL_MS', 1_000, { min: 20, max: 60_000 }),
      retrySchedule,
      retryJitterPercent: config.int('PDX_WEBHOOK_RETRY_JITTER_PERCENT', DEFAULT_RETRY_JITTER_PERCENT, {
        min: 0,
        max: 50,
      }),
      timeoutMs: config.int('PDX_WEBHOOK_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
      maxHoldMs: 5 * batchWindowMs,
      attempts: webhookMetrics(metrics, alertStore.deliveries),
    });
    const fanOut = { ...alertStore, clock, wallClock, batchWindowMs, feed };
    let subscription: Subscription | undefined;
    return {
      name: 'alerts',
      publicKeys: webhookKey.dedicated ? [publicJwk, webhookKey.publicJwk] : [publicJwk],
      routes: alertRoutes({
        ...alertStore,
        clock,
        wallClock,
        targets,
        rolesOf: async (partyId: string) => (await parties.get(partyId))?.roles ?? [],
        feed,
        streamPollMs: config.int('PDX_ALERT_STREAM_POLL_MS', 2_000, { min: 100, max: 60_000 }),
        webhookKey: { publicKey: webhookKey.signer.publicKey, kid: webhookKey.signer.kid },
      }),
      async start() {
        subscription = await bus.subscribe({
          group: ALERTS_GROUP,
          topics: [topics.parties, topics.certificates, topics.relationships, topics.policies],
          handler: async (event) => {
            await applyOnce(applied, event, isoNow(clock), async () => {
              if (
                event.type === 'org.pdx.party.registered.v1' ||
                event.type === 'org.pdx.party.key-added.v1' ||
                event.type === 'org.pdx.party.key-revoked.v1'
              ) {
                return applyPartyEvent(parties, event);
              }
              return applyAlertEvent(fanOut, event);
            });
          },
        });
        worker.start();
      },
      async stop() {
        await worker.stop();
        await subscription?.stop();
      },
    };
  },
};
