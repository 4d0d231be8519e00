import type { Schemas } from '../api.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { Alert } from './alert-stream.js';

/** What happened, in words: to which partner's certificate, and when it ends where that matters. */
export function alertText(alert: Alert, locale?: string): string {
  const values = {
    holder: alert.holder,
    number: alert.number,
    scheme: alert.schemeId,
    date: alert.validUntil ? formatDate(alert.validUntil, locale) : '',
    days: alert.daysToExpiry ?? alert.thresholdDays ?? 0,
  };
  switch (alert.kind) {
    case 'expiring':
      return t(values.days === 1 ? 'alerts.kind.expiringOne' : 'alerts.kind.expiring', values);
    case 'renewed':
      return t(alert.validUntil ? 'alerts.kind.renewed' : 'alerts.kind.renewedOpen', values);
    case 'expired':
    case 'suspended':
    case 'reinstated':
    case 'withdrawn':
      return t(`alerts.kind.${alert.kind}`, values);
    default: {
      const never: never = alert.kind;
      return String(never);
    }
  }
}

/** What the buyer should do about it. */
export const alertTodo = (alert: Alert): string =>
  t(`alerts.todo.${alert.kind}` as MessageKey, { holder: alert.holder });

/**
 * The inbox with `incoming` merged in: one entry per alert id (a newer copy replaces the one
 * listed, so an acknowledgement shows), newest first.
 */
export function mergeAlerts(listed: readonly Alert[], incoming: readonly Alert[]): Alert[] {
  const byId = new Map<string, Alert>();
  for (const alert of [...listed, ...incoming]) {
    const known = byId.get(alert.alertId);
    // An alert the stream sends again must not undo an acknowledgement made here.
    byId.set(alert.alertId, known?.acknowledged && !alert.acknowledged ? known : alert);
  }
  return [...byId.values()].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.alertId.localeCompare(a.alertId),
  );
}

/** Why a delivery failed, as its last attempt ended: "HTTP 503: Service Unavailable". */
export function deliveryErrorText(delivery: Schemas['AlertDelivery']): string {
  return [
    delivery.lastStatus === undefined ? '' : t('alerts.dead.status', { status: delivery.lastStatus }),
    delivery.lastError ?? '',
  ]
    .filter(Boolean)
    .join(': ');
}
