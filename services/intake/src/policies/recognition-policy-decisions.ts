import {
  canonicalJson,
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  isoAt,
  PdxError,
  type PdxEvent,
  type RecognitionPolicy,
  type RecognitionPolicyUpdate,
} from '@pdx/contracts';
import { DEFAULT_ALERT_THRESHOLDS_DAYS, DEFAULT_DIGEST_THRESHOLD } from '@pdx/schemes';
import type { Decision } from '@pdx/store';
import type { PolicyRecord } from './recognition-policy.js';

/** What a buyer sets of its policy, in one order: two updates that say the same compare equal. */
export type PolicyContent = Pick<
  RecognitionPolicy,
  'schemes' | 'issuers' | 'alertThresholdsDays' | 'digestThreshold' | 'review'
>;

/** An update's content in canonical order (sets sorted, thresholds from the furthest), defaults filled in. */
export function policyContent(update: RecognitionPolicyUpdate): PolicyContent {
  return {
    schemes: [...update.schemes].sort(),
    issuers: Object.fromEntries(
      Object.entries(update.issuers ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, [...(v ?? [])].sort()]),
    ),
    alertThresholdsDays: [...(update.alertThresholdsDays ?? DEFAULT_ALERT_THRESHOLDS_DAYS)].sort(
      (a, b) => b - a,
    ),
    digestThreshold: update.digestThreshold ?? DEFAULT_DIGEST_THRESHOLD,
    ...(update.review === undefined ? {} : { review: update.review }),
  };
}

export interface PolicyChange {
  buyerId: string;
  content: PolicyContent;
  /** If-Match: the version the buyer read, or undefined. */
  expectedVersion: number | undefined;
  /** The scheme catalogue's version the policy is set under. */
  catalogueVersion: number;
}

/**
 * A buyer replaces its recognition policy. Each change is a new version and an event, so a
 * past decision can be explained with the policy then in force; the same content again changes
 * nothing. `expectedVersion` (If-Match) guards against overwriting a change made meanwhile.
 */
export function decidePolicy(
  current: PolicyRecord | undefined,
  input: PolicyChange,
  context: DecisionContext,
): Decision<PolicyRecord, PdxEvent> {
  const { buyerId, content, expectedVersion } = input;
  const version = current?.policy.version ?? 0;
  if (expectedVersion !== undefined && expectedVersion !== version) {
    return {
      kind: 'refused',
      error: new PdxError(
        'PDX_PRECONDITION_FAILED',
        `the policy is at version ${version}, not ${expectedVersion}: read it again and reapply your change`,
      ),
    };
  }
  if (current) {
    const { schemes, issuers, alertThresholdsDays, digestThreshold, review } = current.policy;
    const set = { schemes, issuers, alertThresholdsDays, digestThreshold, ...(review ? { review } : {}) };
    if (canonicalJson(set) === canonicalJson(content)) return { kind: 'unchanged' };
  }
  const policy: RecognitionPolicy = {
    buyerId,
    version: version + 1,
    origin: 'set',
    ...content,
    catalogueVersion: input.catalogueVersion,
    effectiveFrom: isoAt(context),
    changedBy: buyerId,
  };
  const event = decidedEvent(context, {
    type: 'org.pdx.recognition-policy.changed.v1',
    id: deterministicEventId('recognition-policy', buyerId, String(policy.version)),
    subject: buyerId,
    data: { policy },
  });
  return { kind: 'change', next: { id: buyerId, policy }, events: [event] };
}
