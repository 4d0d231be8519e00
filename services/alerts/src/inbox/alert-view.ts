import type { Alert, AlertDelivery, AlertSubscription } from '@pdx/contracts';
import type { AlertDoc, DeliveryDoc, SubscriptionDoc } from '../alert-records.js';

export function toAlertView(doc: AlertDoc): Alert {
  const { id, createdMs: _ms, ...rest } = doc;
  return { alertId: id, ...rest };
}

/** What a webhook carries: the alert without the inbox state, the same on every attempt. */
export function webhookAlert(doc: AlertDoc): Omit<Alert, 'acknowledged' | 'acknowledgedAt'> {
  const { acknowledged: _a, acknowledgedAt: _at, ...rest } = toAlertView(doc);
  return rest;
}

/** A subscription, with the key its receiver verifies Standard Webhooks signatures with. */
export function toSubscriptionView(
  doc: SubscriptionDoc,
  webhookKey: { publicKey: string; kid: string },
): AlertSubscription {
  return {
    subscriptionId: doc.id,
    buyerId: doc.buyerId,
    url: doc.url,
    kinds: doc.kinds,
    createdAt: doc.createdAt,
    webhookPublicKey: webhookKey.publicKey,
    webhookKeyId: webhookKey.kid,
  };
}

export function toDeliveryView(doc: DeliveryDoc): AlertDelivery {
  return {
    deliveryId: doc.id,
    subscriptionId: doc.subscriptionId,
    url: doc.url,
    alertIds: doc.alertIds,
    digest: doc.digest,
    state: doc.state,
    attempts: doc.attempts,
    ...(doc.state === 'pending' ? { nextAttemptAt: new Date(doc.nextAttemptMs).toISOString() } : {}),
    ...(doc.lastError === undefined ? {} : { lastError: doc.lastError }),
    ...(doc.lastStatus === undefined ? {} : { lastStatus: doc.lastStatus }),
    createdAt: doc.createdAt,
    ...(doc.deliveredAt === undefined ? {} : { deliveredAt: doc.deliveredAt }),
    ...(doc.mergedInto === undefined ? {} : { mergedInto: doc.mergedInto }),
  };
}
