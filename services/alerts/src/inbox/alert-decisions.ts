import { type DecisionContext, PdxError } from '@pdx/contracts';
import type { RecordDecision } from '@pdx/store';
import type { AlertDoc } from '../alert-records.js';

/**
 * A buyer acknowledges one of its alerts: marked acknowledged at the time of the decision;
 * one already acknowledged stays as it was (acknowledging is idempotent). Another buyer's
 * alert is not found, like one that does not exist.
 */
export function decideAcknowledgement(
  alert: AlertDoc | undefined,
  { alertId, buyerId }: { alertId: string; buyerId: string },
  context: Pick<DecisionContext, 'now'>,
): RecordDecision<AlertDoc> {
  if (!alert || alert.buyerId !== buyerId) {
    return { kind: 'refused', error: new PdxError('PDX_ALERT_NOT_FOUND', `no alert ${alertId}`) };
  }
  if (alert.acknowledged) return { kind: 'unchanged', record: alert };
  return {
    kind: 'change',
    next: { ...alert, acknowledged: true, acknowledgedAt: new Date(context.now).toISOString() },
  };
}
