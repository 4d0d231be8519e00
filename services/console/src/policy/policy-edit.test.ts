import { describe, expect, it } from 'vitest';
import {
  diffPolicy,
  fieldsOf,
  groundsOf,
  type Policy,
  parseDays,
  type Scheme,
  updateFrom,
  updateOf,
} from './policy-edit.js';

const policy: Policy = {
  buyerId: 'globex',
  version: 3,
  origin: 'set',
  schemes: ['us-ctpat', 'eu-aeo-aeos'],
  issuers: { 'eu-aeo-aeos': ['zoll-hamburg'], 'us-ctpat': [] },
  alertThresholdsDays: [7, 90, 30],
  digestThreshold: 5,
  catalogueVersion: 2,
  effectiveFrom: '2026-03-01T00:00:00.000Z',
};

describe('updateOf', () => {
  it('is the PUT body of the policy in force, its lists sorted and empty issuer lists dropped', () => {
    expect(updateOf(policy)).toEqual({
      schemes: ['eu-aeo-aeos', 'us-ctpat'],
      issuers: { 'eu-aeo-aeos': ['zoll-hamburg'] },
      alertThresholdsDays: [90, 30, 7],
      digestThreshold: 5,
    });
  });
});

describe('diffPolicy', () => {
  it('is empty when nothing changes, whatever the order of the lists', () => {
    const same = updateOf(policy);
    expect(diffPolicy(same, { ...same, schemes: ['us-ctpat', 'eu-aeo-aeos'] })).toEqual([]);
  });

  it('lists schemes added and removed, values before and after, and review settings by their pointer', () => {
    const before = updateOf(policy);
    const after = {
      ...before,
      schemes: ['eu-aeo-aeos', 'iso-28001'],
      issuers: {},
      alertThresholdsDays: [60, 30, 7],
      digestThreshold: 10,
      review: { tiers: { high: { intervalMonths: 6, method: 'site-visit' as const } } },
    };
    expect(diffPolicy(before, after)).toEqual([
      { pointer: '/schemes', added: ['iso-28001'], removed: ['us-ctpat'] },
      { pointer: '/issuers/eu-aeo-aeos', removed: ['zoll-hamburg'] },
      { pointer: '/alertThresholdsDays', added: ['60'], removed: ['90'] },
      { pointer: '/digestThreshold', before: '5', after: '10' },
      { pointer: '/review/tiers/high/intervalMonths', after: '6' },
      { pointer: '/review/tiers/high/method', after: 'site-visit' },
    ]);
  });
});

describe('groundsOf', () => {
  it('names the clause, and the functions for 4.3', () => {
    const scheme = {
      isoBasis: [{ clause: '4.3', functions: ['ocean-carrier'] }, { clause: '4.4(c)' }],
    } as unknown as Scheme;
    expect(groundsOf(scheme)).toEqual(['4.3 (ocean-carrier)', '4.4(c)']);
  });
});

describe('parseDays', () => {
  it('reads whole days in any separator, largest first, once each', () => {
    expect(parseDays('30, 90 7;30')).toEqual({ days: [90, 30, 7] });
    expect(parseDays('')).toEqual({ days: [] });
  });
  it('names the first item that is not a whole number of days', () => {
    expect(parseDays('90, soon, 7')).toEqual({ bad: 'soon' });
    expect(parseDays('1.5')).toEqual({ bad: '1.5' });
  });
});

describe('updateFrom', () => {
  it('sends high-risk countries upper-cased and sorted, the incident settings as numbers, and names a bad country', () => {
    const fields = fieldsOf(policy);
    fields.highRiskCountries = 'ru, by ru';
    fields.incidentLookbackMonths = '12';
    fields.reviewAfterIncident = '14';
    const { update, problems } = updateFrom(fields, policy);
    expect(problems).toEqual({});
    expect(update.review).toMatchObject({
      highRiskCountries: ['BY', 'RU'],
      incidentLookbackMonths: 12,
      reviewAfterIncidentWithinDays: 14,
    });
    fields.highRiskCountries = 'DE, Deutschland';
    expect(updateFrom(fields, policy).problems).toEqual({
      '/review/highRiskCountries': { key: 'country', value: 'DEUTSCHLAND' },
    });
    // A look-back set in days before calendar months stays until the field is filled.
    const inDays = { ...policy, review: { incidentLookbackDays: 365 } };
    expect(updateFrom(fieldsOf(inDays), inDays).update.review).toEqual({ incidentLookbackDays: 365 });
  });

  it('gives back the policy in force when nothing is edited', () => {
    const withReview = {
      ...policy,
      review: {
        highRiskCountries: ['XX'],
        tiers: { high: { intervalDays: 180, method: 'site-visit' as const } },
      },
    };
    const { update, problems } = updateFrom(fieldsOf(policy), policy);
    expect(problems).toEqual({});
    expect(diffPolicy(updateOf(policy), update)).toEqual([]);
    // A deprecated interval in days is shown, and sent, in months; what the form does not edit is kept.
    const again = updateFrom(fieldsOf(withReview), withReview).update;
    expect(again.review).toEqual({
      highRiskCountries: ['XX'],
      tiers: { high: { intervalMonths: 6, method: 'site-visit' } },
    });
  });

  it('fills a tier from its default when only one of its fields is set, and names fields that are not numbers', () => {
    const fields = fieldsOf(policy);
    fields.tiers.medium = { months: '', method: 'site-visit' };
    fields.thresholds = '60, soon';
    fields.digest = 'ten';
    const { update, problems } = updateFrom(fields, policy);
    expect(update.review).toEqual({ tiers: { medium: { intervalMonths: 24, method: 'site-visit' } } });
    expect(problems).toEqual({
      '/alertThresholdsDays': { key: 'days', value: 'soon' },
      '/digestThreshold': { key: 'number', value: 'ten' },
    });
  });
});
