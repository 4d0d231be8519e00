import { deterministicEventId, type RecognitionPolicy } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { contextAt, summary } from '../decisions.testing.js';
import type { PolicyRecord } from './recognition-policy.js';
import { decidePolicy, policyContent } from './recognition-policy-decisions.js';

const now = '2026-06-01T00:00:00.000Z';
const context = contextAt(now);
const content = policyContent({
  schemes: ['iso-28000', 'eu-aeo-aeof'],
  issuers: { 'iso-28000': ['tuv', 'dekra'] },
  alertThresholdsDays: [7, 90, 30],
});
const policy = (version: number, overrides: Partial<RecognitionPolicy> = {}): RecognitionPolicy => ({
  buyerId: 'globex',
  version,
  origin: 'set',
  ...content,
  catalogueVersion: 1,
  effectiveFrom: '2026-05-01T00:00:00.000Z',
  changedBy: 'globex',
  ...overrides,
});
const record = (p: RecognitionPolicy): PolicyRecord => ({
  id: 'globex',
  version: p.version,
  outbox: [],
  pending: false,
  policy: p,
});
const change = (expectedVersion?: number, set = content) => ({
  buyerId: 'globex',
  content: set,
  expectedVersion,
  catalogueVersion: 2,
});

describe('policyContent', () => {
  it('puts sets in order and fills in the defaults', () => {
    expect(content).toEqual({
      schemes: ['eu-aeo-aeof', 'iso-28000'],
      issuers: { 'iso-28000': ['dekra', 'tuv'] },
      alertThresholdsDays: [90, 30, 7],
      digestThreshold: 5,
    });
    expect(policyContent({ schemes: ['iso-28000'] })).toEqual({
      schemes: ['iso-28000'],
      issuers: {},
      alertThresholdsDays: [90, 30, 7],
      digestThreshold: 5,
    });
  });
});

describe('decidePolicy', () => {
  const set = (version: number) => ({
    kind: 'change',
    events: [
      {
        type: 'org.pdx.recognition-policy.changed.v1',
        id: deterministicEventId('recognition-policy', 'globex', String(version)),
        subject: 'globex',
        data: {
          policy: { buyerId: 'globex', version, origin: 'set', effectiveFrom: now, catalogueVersion: 2 },
        },
      },
    ],
    next: { id: 'globex', policy: { version, ...content, changedBy: 'globex' } },
  });
  it.each([
    { given: 'no policy yet', current: undefined, input: change(), expected: set(1) },
    { given: 'no policy yet, If-Match the default', current: undefined, input: change(0), expected: set(1) },
    {
      given: 'other content',
      current: record(policy(3, { digestThreshold: 9 })),
      input: change(3),
      expected: set(4),
    },
    {
      given: 'the same content again',
      current: record(policy(3)),
      input: change(),
      expected: { kind: 'unchanged' },
    },
    {
      given: 'the same content under another catalogue: still the same policy',
      current: record(policy(3, { catalogueVersion: 1 })),
      input: change(3),
      expected: { kind: 'unchanged' },
    },
    {
      given: 'a review setting added',
      current: record(policy(3)),
      input: change(undefined, { ...content, review: { highRiskCountries: ['IR'] } } as typeof content),
      expected: set(4),
    },
    {
      given: 'a stale If-Match',
      current: record(policy(3, { digestThreshold: 9 })),
      input: change(2),
      expected: { kind: 'refused', code: 'PDX_PRECONDITION_FAILED', pointer: undefined },
    },
    {
      given: 'a stale If-Match, even for the same content',
      current: record(policy(3)),
      input: change(2),
      expected: { kind: 'refused', code: 'PDX_PRECONDITION_FAILED', pointer: undefined },
    },
  ])('$given', ({ current, input, expected }) => {
    expect(summary(decidePolicy(current, input, context))).toMatchObject(expected);
  });
});
