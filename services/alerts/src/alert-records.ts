import { linkCollection, partyCollection } from '@pdx/read-models';

export type { LinkDoc, PartyDoc } from '@pdx/read-models';

/** What an alert is about. */
export const alertKinds = ['expiring', 'expired', 'suspended', 'reinstated', 'withdrawn', 'renewed'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** One alert in a buyer's inbox: a certificate of a linked business partner changed or lapses. */
export interface AlertDoc {
  id: string;
  buyerId: string;
  kind: AlertKind;
  certificateId: string;
  holder: string;
  schemeId: string;
  number: string;
  /** The event's time. */
  occurredAt: string;
  validUntil?: string;
  thresholdDays?: number;
  daysToExpiry?: number;
  reason?: string;
  summary: string;
  sourceEventId: string;
  createdAt: string;
  /** For ordering the inbox and resuming a stream (Last-Event-ID). */
  createdMs: number;
  acknowledged: boolean;
  acknowledgedAt?: string;
}

/** A buyer's webhook: where its alerts go, optionally only some kinds. */
export interface SubscriptionDoc {
  id: string;
  buyerId: string;
  url: string;
  /** Empty: every kind. */
  kinds: AlertKind[];
  createdAt: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead' | 'merged';

/**
 * One POST to one webhook: a single alert, or a digest of several due at once. Retried with
 * backoff until delivered or dead; never dropped silently.
 */
export interface DeliveryDoc {
  id: string;
  buyerId: string;
  subscriptionId: string;
  url: string;
  alertIds: string[];
  digest: boolean;
  state: DeliveryState;
  attempts: number;
  /** When the next attempt is due (wall clock, ms). */
  nextAttemptMs: number;
  lastError?: string;
  lastStatus?: number;
  createdAt: string;
  deliveredAt?: string;
  /** For a single alert merged into a digest: the digest's delivery id. */
  mergedInto?: string;
  version: number;
}

export interface BuyerSettingsDoc {
  id: string;
  version: number;
  digestThreshold: number;
}

export const alertDocs = { name: 'alerts', indexes: [{ fields: ['buyerId', 'createdMs'] }] } as const;
export const subscriptionDocs = { name: 'subscriptions', indexes: [{ fields: ['buyerId'] }] } as const;
export const deliveryDocs = {
  name: 'deliveries',
  indexes: [{ fields: ['state', 'nextAttemptMs'] }, { fields: ['buyerId', 'state'] }],
} as const;
/** The links (see @pdx/read-models): which buyers follow whose certificates. */
export const linkDocs = linkCollection();
/** The parties' roles: only a buyer has an inbox. */
export const partyDocs = partyCollection({ name: 'party_keys' });
export const buyerSettingsDocs = { name: 'buyer_settings', indexes: [] } as const;
