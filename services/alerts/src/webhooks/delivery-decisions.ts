import { type DecisionContext, PdxError } from '@pdx/contracts';
import type { RecordDecision } from '@pdx/store';
import type { DeliveryDoc } from '../alert-records.js';
import { jittered, retryAfterMs } from './retry-schedule.js';

/**
 * A buyer sends a dead delivery again: pending from now, its attempts counted anew. Only a
 * dead one is (a pending one is still being tried, a delivered one arrived); another buyer's
 * delivery is not found, like one that does not exist.
 */
export function decideRetry(
  delivery: DeliveryDoc | undefined,
  { deliveryId, buyerId }: { deliveryId: string; buyerId: string },
  context: Pick<DecisionContext, 'now'>,
): RecordDecision<DeliveryDoc> {
  if (!delivery || delivery.buyerId !== buyerId) {
    return { kind: 'refused', error: new PdxError('PDX_DELIVERY_NOT_FOUND', `no delivery ${deliveryId}`) };
  }
  if (delivery.state !== 'dead') {
    return {
      kind: 'refused',
      error: new PdxError(
        'PDX_REQUEST_INVALID',
        `the delivery is ${delivery.state}; only a dead one is tried again`,
      ),
    };
  }
  return {
    kind: 'change',
    next: {
      ...delivery,
      state: 'pending',
      attempts: 0,
      nextAttemptMs: context.now,
      version: delivery.version + 1,
    },
  };
}

/** How one attempt went: the receiver's status (none when it was not reached) and what failed. */
export interface AttemptResult {
  status?: number;
  /** Undefined: delivered (a 2xx). */
  error?: string;
  /** The receiver's Retry-After header, if any. */
  retryAfter: string | null;
}

/** When the next attempt of a failed delivery comes, and when it is dead. */
export interface RetryPolicy {
  /** The delays between attempts (ms); after the last step's attempt fails the delivery is dead. */
  retrySchedule: readonly number[];
  /** Each delay is spread over ± this percentage. */
  retryJitterPercent: number;
}

/**
 * The wait after failed attempt n: the schedule's step n, jittered by `draw` (in [0, 1)); a
 * receiver that said when to come back (429 Too Many Requests, 503 Service Unavailable with
 * Retry-After) is not called sooner, nor made to wait longer than the schedule's longest step.
 */
export function delayAfter(
  attempt: number,
  result: AttemptResult,
  policy: RetryPolicy,
  now: number,
  draw: number,
): number {
  const scheduled = jittered(policy.retrySchedule[attempt - 1]!, policy.retryJitterPercent, () => draw);
  const asked =
    result.status === 429 || result.status === 503 ? retryAfterMs(result.retryAfter, now) : undefined;
  if (asked === undefined) return scheduled;
  return Math.max(scheduled, Math.min(asked, Math.max(...policy.retrySchedule)));
}

/**
 * A delivery after one more attempt: delivered; dead after the schedule's last step, or at
 * once on a 410 Gone (the receiver's final word on it); else pending until the next attempt
 * is due. `now` is real time (ms), what the retry schedule runs on; `at` the domain clock's
 * time, what a delivery is said to be delivered at; `draw` in [0, 1) spreads the wait.
 */
export function deliveryAfterAttempt(
  delivery: DeliveryDoc,
  result: AttemptResult,
  policy: RetryPolicy,
  { now, at, draw }: { now: number; at: string; draw: number },
): DeliveryDoc {
  const attempts = delivery.attempts + 1;
  const version = delivery.version + 1;
  const { status, error } = result;
  if (error === undefined) {
    return {
      ...delivery,
      state: 'delivered',
      attempts,
      deliveredAt: at,
      lastStatus: status!,
      version,
    };
  }
  const gone = status === 410;
  if (gone || attempts > policy.retrySchedule.length) {
    return {
      ...delivery,
      state: 'dead',
      attempts,
      lastError: gone ? 'the receiver answered 410 Gone: not retried' : error,
      ...(status ? { lastStatus: status } : {}),
      version,
    };
  }
  return {
    ...delivery,
    attempts,
    nextAttemptMs: now + delayAfter(attempts, result, policy, now, draw),
    lastError: error,
    ...(status ? { lastStatus: status } : {}),
    version,
  };
}
