import { deterministicEventId, type EventOf } from '@pdx/contracts';
import type { AlertDoc, BuyerSettingsDoc, DeliveryDoc, SubscriptionDoc } from '../alert-records.js';
import { type AlertDraft, summaryOf } from './alert-draft.js';

// Pure: what the fan-out writes. Ids derive from the event, so a redelivered event makes the
// same documents, which the inserts then leave as they are.

/** A buyer's alert settings: a newer policy version replaces them; an older or repeated one changes nothing. */
export function evolveBuyerSettings(
  current: BuyerSettingsDoc | undefined,
  event: EventOf<'org.pdx.recognition-policy.changed.v1'>,
): BuyerSettingsDoc | undefined {
  const { policy } = event.data;
  if (current && current.version >= policy.version) return undefined;
  return { id: policy.buyerId, version: policy.version, digestThreshold: policy.digestThreshold };
}

/** The alert of one event for one buyer. */
export function alertFor(
  eventId: string,
  draft: AlertDraft,
  buyerId: string,
  created: { at: string; ms: number },
): AlertDoc {
  const c = draft.certificate;
  return {
    id: deterministicEventId('alert', eventId, buyerId),
    buyerId,
    kind: draft.kind,
    certificateId: c.certificateId,
    holder: c.holder,
    schemeId: c.schemeId,
    number: c.number,
    occurredAt: draft.occurredAt,
    ...(c.validUntil === undefined ? {} : { validUntil: c.validUntil }),
    ...(draft.thresholdDays === undefined ? {} : { thresholdDays: draft.thresholdDays }),
    ...(draft.daysToExpiry === undefined ? {} : { daysToExpiry: draft.daysToExpiry }),
    ...(draft.reason === undefined ? {} : { reason: draft.reason }),
    summary: summaryOf(draft),
    sourceEventId: eventId,
    createdAt: created.at,
    createdMs: created.ms,
    acknowledged: false,
  };
}

/** The pending delivery of an alert to one webhook, or none when the webhook takes other kinds. */
export function deliveryFor(
  alert: AlertDoc,
  subscription: SubscriptionDoc,
  created: { at: string; dueMs: number },
): DeliveryDoc | undefined {
  if (subscription.kinds.length > 0 && !subscription.kinds.includes(alert.kind)) return undefined;
  return {
    id: deterministicEventId('delivery', alert.id, subscription.id),
    buyerId: alert.buyerId,
    subscriptionId: subscription.id,
    url: subscription.url,
    alertIds: [alert.id],
    digest: false,
    state: 'pending',
    attempts: 0,
    nextAttemptMs: created.dueMs,
    createdAt: created.at,
    version: 1,
  };
}
