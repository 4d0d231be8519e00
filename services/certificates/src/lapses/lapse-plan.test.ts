import type { Certificate } from '@pdx/contracts';
import { attestedCertificate } from '@pdx/read-models/testing';
import { describe, expect, it } from 'vitest';
import { earliestDue, milestones, planLapses } from './lapse-plan.js';

const DAY = 86_400_000;
const until = Date.parse('2027-01-31T00:00:00Z');
const certificate: Certificate = attestedCertificate({
  validFrom: '2024-01-31T00:00:00Z',
  validUntil: new Date(until).toISOString(),
});
const followers = [
  { buyerId: 'globex', thresholdsDays: [90, 30, 7] },
  { buyerId: 'umbrella', thresholdsDays: [60] },
];
const all = milestones(certificate, followers);
const keys = (ms: { key: string }[]) => ms.map((m) => m.key.split('|').slice(2).join('|')).sort();

describe('lapse milestones', () => {
  it('has one per buyer threshold and one expiry, keyed by the validity they belong to', () => {
    expect(keys(all)).toEqual(['expired', 'globex|30', 'globex|7', 'globex|90', 'umbrella|60']);
    expect(
      all.every((m) => m.key.startsWith(`${certificate.certificateId}|${certificate.validUntil}|`)),
    ).toBe(true);
    expect(earliestDue(all)).toBe(until - 90 * DAY);
  });

  it('has none for open-ended, suspended, withdrawn or expired certificates', () => {
    expect(milestones({ ...certificate, validUntil: undefined }, followers)).toEqual([]);
    for (const state of ['suspended', 'withdrawn', 'expired'] as const) {
      expect(milestones({ ...certificate, state }, followers)).toEqual([]);
    }
  });
});

describe('planning what is due', () => {
  it('publishes each threshold as it is crossed, once', () => {
    const done = new Set<string>();
    const at = (daysBefore: number) => until - daysBefore * DAY;
    expect(planLapses(all, done, at(91)).emit).toEqual([]);
    expect(planLapses(all, done, at(91)).nextDueMs).toBe(at(90));
    const p90 = planLapses(all, done, at(90));
    expect(keys(p90.emit)).toEqual(['globex|90']);
    for (const m of p90.emit) done.add(m.key);
    expect(planLapses(all, done, at(89)).emit).toEqual([]);
    expect(planLapses(all, done, at(89)).nextDueMs).toBe(at(60));
    const p60 = planLapses(all, done, at(60));
    expect(keys(p60.emit)).toEqual(['umbrella|60']);
  });

  it('after downtime publishes only the most urgent warning per buyer, and skips the rest', () => {
    const plan = planLapses(all, new Set(), until - 5 * DAY);
    expect(keys(plan.emit)).toEqual(['globex|7', 'umbrella|60']);
    expect(keys(plan.skip)).toEqual(['globex|30', 'globex|90']);
    expect(plan.nextDueMs).toBe(until);
  });

  it('once expired publishes the expiry alone and never a warning for what lapsed', () => {
    const plan = planLapses(all, new Set(), until + DAY);
    expect(keys(plan.emit)).toEqual(['expired']);
    expect(keys(plan.skip)).toEqual(['globex|30', 'globex|7', 'globex|90', 'umbrella|60']);
    expect(plan.nextDueMs).toBeUndefined();
    const done = new Set(all.map((m) => m.key));
    expect(planLapses(all, done, until + 2 * DAY)).toEqual({ emit: [], skip: [], nextDueMs: undefined });
  });

  it('starts afresh for a renewed validity', () => {
    const renewed = milestones(
      { ...certificate, validUntil: '2028-01-31T00:00:00.000Z', version: 2 },
      followers,
    );
    const done = new Set(all.map((m) => m.key));
    expect(planLapses(renewed, done, until + DAY).emit).toEqual([]);
    expect(planLapses(renewed, done, Date.parse('2027-11-02T00:00:00Z')).emit).toHaveLength(1);
  });
});
