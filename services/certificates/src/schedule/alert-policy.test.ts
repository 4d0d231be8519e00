import { createEvent, type RecognitionPolicy, SchemaRegistry } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { evolveAlertPolicy } from './alert-policy.js';
import type { PolicyDoc } from './schedule-docs.js';

const registry = new SchemaRegistry();
const policy = (version: number, alertThresholdsDays: number[]): RecognitionPolicy => ({
  buyerId: 'globex',
  version,
  origin: 'set',
  schemes: ['eu-aeo-aeos'],
  issuers: {},
  alertThresholdsDays,
  digestThreshold: 5,
  catalogueVersion: 2,
  effectiveFrom: '2027-01-01T00:00:00.000Z',
});
const changed = (p: RecognitionPolicy) =>
  createEvent(registry, {
    type: 'org.pdx.recognition-policy.changed.v1',
    subject: 'globex',
    source: 'urn:pdx:test',
    time: Date.parse('2027-01-01T00:00:00Z'),
    data: { policy: p },
  });

describe('evolveAlertPolicy', () => {
  const rows: {
    name: string;
    given: PolicyDoc | undefined;
    when: RecognitionPolicy;
    expected: PolicyDoc | undefined;
  }[] = [
    {
      name: "a first policy gives the buyer's thresholds",
      given: undefined,
      when: policy(1, [90, 30]),
      expected: { id: 'globex', version: 1, thresholdsDays: [90, 30] },
    },
    {
      name: 'a newer version replaces them',
      given: { id: 'globex', version: 1, thresholdsDays: [90, 30] },
      when: policy(2, [60]),
      expected: { id: 'globex', version: 2, thresholdsDays: [60] },
    },
    {
      name: 'the same version again changes nothing',
      given: { id: 'globex', version: 2, thresholdsDays: [60] },
      when: policy(2, [60]),
      expected: undefined,
    },
    {
      name: 'an older version changes nothing',
      given: { id: 'globex', version: 3, thresholdsDays: [14] },
      when: policy(2, [60]),
      expected: undefined,
    },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolveAlertPolicy(given, changed(when))).toEqual(expected);
  });
});
