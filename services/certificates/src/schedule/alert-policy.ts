import type { EventOf } from '@pdx/contracts';
import type { PolicyDoc } from './schedule-docs.js';

/** Pure: a buyer's alert thresholds; a newer policy version replaces them, an older or repeated one changes nothing. */
export function evolveAlertPolicy(
  current: PolicyDoc | undefined,
  event: EventOf<'org.pdx.recognition-policy.changed.v1'>,
): PolicyDoc | undefined {
  const { policy } = event.data;
  if (current && current.version >= policy.version) return undefined;
  return { id: policy.buyerId, version: policy.version, thresholdsDays: policy.alertThresholdsDays };
}
