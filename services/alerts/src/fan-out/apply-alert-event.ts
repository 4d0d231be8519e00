import type { PdxEvent } from '@pdx/contracts';
import { applyLinkEvent } from '@pdx/read-models';
import { type Clock, isoNow } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { AlertDoc, BuyerSettingsDoc, DeliveryDoc, LinkDoc, SubscriptionDoc } from '../alert-records.js';
import type { AlertFeedWriter } from '../stream/alert-feed.js';
import { draftFor } from './alert-draft.js';
import { alertFor, deliveryFor, evolveBuyerSettings } from './fan-out.js';

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
 * Applies an event, idempotently: links (see @pdx/read-models) and buyers' settings are kept; a certificate event
 * becomes one alert per buyer concerned (the buyer of a warning, or every buyer with an
 * accepted link to the holder), and one pending delivery per matching webhook. Ids derive
 * from the event, so a redelivered event changes nothing.
 */
export async function applyAlertEvent(deps: FanOutDeps, event: PdxEvent): Promise<void> {
  switch (event.type) {
    case 'org.pdx.relationship.offered.v1':
    case 'org.pdx.relationship.accepted.v1':
    case 'org.pdx.relationship.ended.v1':
      return applyLinkEvent(deps.links, event);
    case 'org.pdx.recognition-policy.changed.v1': {
      const next = evolveBuyerSettings(await deps.settings.get(event.data.policy.buyerId), event);
      if (next) await deps.settings.put(next);
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
    const createdMs = deps.feed ? deps.feed.open() : deps.wallClock.now();
    const alert = alertFor(event.id, draft, buyerId, { at: isoNow(deps.clock), ms: createdMs });
    let inserted: 'inserted' | 'exists' | undefined;
    try {
      inserted = await deps.alerts.insert(alert);
    } finally {
      deps.feed?.close(createdMs, inserted === 'inserted' ? alert : undefined);
    }
    for (const sub of await deps.subscriptions.find({ buyerId })) {
      const delivery = deliveryFor(alert, sub, {
        at: isoNow(deps.clock),
        dueMs: deps.wallClock.now() + deps.batchWindowMs,
      });
      if (delivery) await deps.deliveries.insert(delivery);
    }
    if (inserted === 'inserted') deps.onAlert?.(alert);
  }
}
