import type { PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import type { DeliveryDoc } from '../alert-records.js';
import {
  type AttemptResult,
  decideRetry,
  deliveryAfterAttempt,
  type RetryPolicy,
} from './delivery-decisions.js';

const S = 1_000;
const now = Date.parse('2027-06-01T12:00:00Z');
const at = '2027-06-01T11:59:59.000Z';
const policy: RetryPolicy = { retrySchedule: [5 * S, 300 * S, 1_800 * S], retryJitterPercent: 20 };
const delivery = (overrides: Partial<DeliveryDoc> = {}): DeliveryDoc => ({
  id: '7c0d3b9e-5f7a-4c55-8d0a-9a3e8c1b2f40',
  buyerId: 'globex',
  subscriptionId: 'sub-1',
  url: 'https://hooks.example/pdx',
  alertIds: ['a-1'],
  digest: false,
  state: 'pending',
  attempts: 0,
  nextAttemptMs: now - S,
  createdAt: '2027-06-01T11:00:00.000Z',
  version: 3,
  ...overrides,
});

describe('a delivery after an attempt', () => {
  const rows: {
    name: string;
    current: DeliveryDoc;
    result: AttemptResult;
    /** The jitter draw in [0, 1); 0.5 is no jitter. */
    draw?: number;
    expected: Partial<DeliveryDoc>;
  }[] = [
    {
      name: 'a 2xx: delivered, at the domain clock’s time',
      current: delivery(),
      result: { status: 204, retryAfter: null },
      expected: { state: 'delivered', attempts: 1, deliveredAt: at, lastStatus: 204 },
    },
    {
      name: 'a 500 on the first attempt: pending, the next after the first step',
      current: delivery(),
      result: { status: 500, error: 'the receiver answered 500', retryAfter: null },
      expected: {
        state: 'pending',
        attempts: 1,
        nextAttemptMs: now + 5 * S,
        lastError: 'the receiver answered 500',
        lastStatus: 500,
      },
    },
    {
      name: 'the wait is jittered by the draw: the lowest draw, 20 % sooner',
      current: delivery({ attempts: 1 }),
      result: { error: 'connect ECONNREFUSED', retryAfter: null },
      draw: 0,
      expected: {
        state: 'pending',
        attempts: 2,
        nextAttemptMs: now + 240 * S,
        lastError: 'connect ECONNREFUSED',
      },
    },
    {
      name: 'a 429 asking for longer than the step: not called sooner than it asked',
      current: delivery(),
      result: { status: 429, error: 'the receiver answered 429', retryAfter: '120' },
      expected: { state: 'pending', nextAttemptMs: now + 120 * S, lastStatus: 429 },
    },
    {
      name: 'a 503 asking for more than the longest step: waits the longest step only',
      current: delivery(),
      result: { status: 503, error: 'the receiver answered 503', retryAfter: '86400' },
      expected: { state: 'pending', nextAttemptMs: now + 1_800 * S },
    },
    {
      name: 'a Retry-After on a 500 is not a request: the schedule alone decides',
      current: delivery(),
      result: { status: 500, error: 'the receiver answered 500', retryAfter: '120' },
      expected: { state: 'pending', nextAttemptMs: now + 5 * S },
    },
    {
      name: 'a 410 Gone: dead at once, not retried',
      current: delivery(),
      result: { status: 410, error: 'the receiver answered 410', retryAfter: null },
      expected: {
        state: 'dead',
        attempts: 1,
        lastError: 'the receiver answered 410 Gone: not retried',
        lastStatus: 410,
      },
    },
    {
      name: 'the attempt after the last step fails: dead, with the error',
      current: delivery({ attempts: 3 }),
      result: { error: 'timeout', retryAfter: null },
      expected: { state: 'dead', attempts: 4, lastError: 'timeout' },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const next = deliveryAfterAttempt(row.current, row.result, policy, { now, at, draw: row.draw ?? 0.5 });
      expect(next).toMatchObject({ ...row.expected, version: row.current.version + 1 });
      expect(next).toEqual({ ...row.current, ...next });
      if (next.state !== 'delivered') expect(next).not.toHaveProperty('deliveredAt');
      if (row.result.status === undefined) expect(next).not.toHaveProperty('lastStatus');
    });
  }
});

describe('sending a delivery again', () => {
  const rows: {
    name: string;
    current: DeliveryDoc | undefined;
    buyerId?: string;
    code?: string;
  }[] = [
    {
      name: 'a dead one of the buyer’s: pending from now, attempts counted anew',
      current: delivery({ state: 'dead', attempts: 12, lastError: 'timeout' }),
    },
    {
      name: 'a pending one: refused, it is still being tried',
      current: delivery(),
      code: 'PDX_REQUEST_INVALID',
    },
    {
      name: 'a delivered one: refused',
      current: delivery({ state: 'delivered' }),
      code: 'PDX_REQUEST_INVALID',
    },
    {
      name: 'one merged into a digest: refused',
      current: delivery({ state: 'merged' }),
      code: 'PDX_REQUEST_INVALID',
    },
    {
      name: 'another buyer’s: not found',
      current: delivery({ state: 'dead' }),
      buyerId: 'hooli',
      code: 'PDX_DELIVERY_NOT_FOUND',
    },
    { name: 'none: not found', current: undefined, code: 'PDX_DELIVERY_NOT_FOUND' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const deliveryId = row.current?.id ?? 'nope';
      const d = decideRetry(row.current, { deliveryId, buyerId: row.buyerId ?? 'globex' }, { now });
      if (row.code) {
        expect(d.kind).toBe('refused');
        if (d.kind !== 'refused') return;
        expect((d.error as PdxError).code).toBe(row.code);
        return;
      }
      expect(d).toEqual({
        kind: 'change',
        next: { ...row.current, state: 'pending', attempts: 0, nextAttemptMs: now, version: 4 },
      });
    });
  }
});
