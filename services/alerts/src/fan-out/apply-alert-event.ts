import { deterministicEventId, type PdxEvent, relationshipStateAfter } from '@pdx/contracts';
import { type Clock, isoNow } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { AlertDoc, BuyerSettingsDoc, DeliveryDoc, LinkDoc, SubscriptionDoc } from '../alert-records.js';
import type { AlertFeedWriter } from '../stream/alert-feed.js';
import { draftFor, summaryOf } from './alert-draft.js';

export interface AlertStore {
  alerts: Collection<AlertDoc>;
  subscriptions: Collection<SubscriptionDoc>;
  deliveries: Collection<DeliveryDoc>;
  links: Collection<LinkDoc>;
  settings: Collection<BuyerSettingsDoc>;
}

export interface FanOutDeps extends AlertStore {
  clock: Clock;
  /** Real time: when deliveries become due. */
  wallClock: Clock;
  /** Deliveries wait this long, so alerts falling due together go out as one digest. */
  batchWindowMs: number;
  /**
   * The live streams' feed: gives each alert its creation time and is told when its write
   * ended, so streams neither pass an alert still being written nor wait for the next poll.
   * Without it, createdMs is the wall clock's.
   */
  feed?: AlertFeedWriter;
  /** Told of every new alert. */
  onAlert?(alert: AlertDoc): void;
}

/**
 * Applies an event, idempotently: links and buyers' settings are kept; a certificate event
 * becomes one alert per buyer concerned (the buyer of a warning, or every buyer with an
 * accepted link to the holder), and one pending delivery per matching webhook. Ids derive
 * from the event, so a redelivered event changes nothing.
 */
export async function applyAlertEvent(deps: FanOutDeps, event: PdxEvent): Promise<void> {
  switch (event.type) {
    case 'org.pdx.relationship.offered.v1':
    case 'org.pdx.relationship.accepted.v1':
    case 'org.pdx.relationship.ended.v1': {
      const { relationshipId, buyerId, partnerId } = event.data;
      const state = relationshipStateAfter(event.type);
      await deps.links.put({ id: relationshipId, buyerId, partnerId, state });
      return;
    }
    case 'org.pdx.recognition-policy.changed.v1': {
      const { policy } = event.data;
      const current = await deps.settings.get(policy.buyerId);
      if (!current || current.version < policy.version) {
        await deps.settings.put({
          id: policy.buyerId,
          version: policy.version,
          digestThreshold: policy.digestThreshold,
        });
      }
      return;
    }
    default:
      break;
  }
  const draft = draftFor(event);
  if (!draft) return;
  const holder = draft.certificate.holder;
  const linked = (await deps.links.find({ partnerId: holder, state: 'accepted' })).map((l) => l.buyerId);
  const buyers = draft.onlyBuyer === undefined ? linked : linked.filter((b) => b === draft.onlyBuyer);
  for (const buyerId of buyers) {
    const c = draft.certificate;
    const createdMs = deps.feed ? deps.feed.open() : deps.wallClock.now();
    const alert: AlertDoc = {
      id: deterministicEventId('alert', event.id, buyerId),
      buyerId,
      kind: draft.kind,
      certificateId: c.certificateId,
      holder,
      schemeId: c.schemeId,
      number: c.number,
      occurredAt: draft.occurredAt,
      ...(c.validUntil === undefined ? {} : { validUntil: c.validUntil }),
      ...(draft.thresholdDays === undefined ? {} : { thresholdDays: draft.thresholdDays }),
      ...(draft.daysToExpiry === undefined ? {} : { daysToExpiry: draft.daysToExpiry }),
      ...(draft.reason === undefined ? {} : { reason: draft.reason }),
      summary: summaryOf(draft),
      sourceEventId: event.id,
      createdAt: isoNow(deps.clock),
      createdMs,
      acknowledged: false,
    };
    let inserted: 'inserted' | 'exists' | undefined;
    try {
      inserted = await deps.alerts.insert(alert);
    } finally {
      deps.feed?.close(createdMs, inserted === 'inserted' ? alert : undefined);
    }
    for (const sub of await deps.subscriptions.find({ buyerId })) {
      if (sub.kinds.length > 0 && !sub.kinds.includes(alert.kind)) continue;
      await deps.deliveries.insert({
        id: deterministicEventId('delivery', alert.id, sub.id),
        buyerId,
        subscriptionId: sub.id,
        url: sub.url,
        alertIds: [alert.id],
        digest: false,
        state: 'pending',
        attempts: 0,
        nextAttemptMs: deps.wallClock.now() + deps.batchWindowMs,
        createdAt: isoNow(deps.clock),
        version: 1,
      });
    }
    if (inserted === 'inserted') deps.onAlert?.(alert);
  }
}
