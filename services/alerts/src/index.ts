export {
  type AlertDoc,
  type AlertKind,
  alertDocs,
  alertKinds,
  type BuyerSettingsDoc,
  buyerSettingsDocs,
  type DeliveryDoc,
  deliveryDocs,
  type LinkDoc,
  linkDocs,
  type SubscriptionDoc,
  subscriptionDocs,
} from './alert-records.js';
export { type AlertDraft, draftFor, summaryOf } from './fan-out/alert-draft.js';
export { applyAlertEvent, type FanOutDeps } from './fan-out/apply-alert-event.js';
export { ALERTS_GROUP, alertsService } from './service.js';
export { AlertFeed, type AlertFeedWriter } from './stream/alert-feed.js';
export {
  AlertStreamSession,
  alertEvent,
  parseLastEventId,
  STREAM_PAGE_SIZE,
  type StreamPosition,
} from './stream/alert-stream.js';
export { type DeliveryPass, DeliveryWorker, type DeliveryWorkerDeps } from './webhooks/delivery-worker.js';
export {
  DEFAULT_RETRY_JITTER_PERCENT,
  DEFAULT_RETRY_SCHEDULE,
  jittered,
  parseRetrySchedule,
  retryAfterMs,
} from './webhooks/retry-schedule.js';
export {
  isEd25519,
  type StandardWebhookSigner,
  standardWebhookHeaders,
  standardWebhookSigner,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhooks/standard-webhooks.js';
export { loadWebhookKey, WEBHOOK_KEY_FILE, type WebhookKey } from './webhooks/webhook-key.js';
export { signWebhookBody, verifyWebhookBody, WEBHOOK_TYP } from './webhooks/webhook-signature.js';
export { checkWebhookUrl, isPrivateAddress, type WebhookTargetPolicy } from './webhooks/webhook-target.js';
