import { describe, expect, it } from 'vitest';
import type { PartnerDecision } from './api.js';
import { formatDate, t } from './messages.js';
import { basisText, countByStatus, nextObligation, sortPartners, statusOrder } from './partners-view.js';

const decision = (over: Partial<PartnerDecision>): PartnerDecision => ({
  buyerId: 'globex',
  partnerId: 'acme',
  status: 'declaration-required',
  clauses: ['4.2'],
  basis: [],
  functions: [],
  obligations: [],
  evaluatedAt: '2026-12-01T00:00:00Z',
  policyVersion: 1,
  catalogueVersion: 1,
  ...over,
});

describe('the partner list', () => {
  it('counts every status, zero included, in a fixed order', () => {
    const counts = countByStatus([
      decision({ partnerId: 'a', status: 'credible' }),
      decision({ partnerId: 'b', status: 'credible' }),
      decision({ partnerId: 'c', status: 'not-credible' }),
    ]);
    expect(counts.map((c) => c.status)).toEqual(statusOrder);
    expect(Object.fromEntries(counts.map((c) => [c.status, c.count]))).toMatchObject({
      credible: 2,
      'not-credible': 1,
      exempt: 0,
    });
  });

  it('shows the obligation due first, and sorts partners by it', () => {
    const late = decision({
      partnerId: 'late',
      obligations: [
        { code: 'review-method', clause: '4.5', detail: 'no date' },
        { code: 'review-due', clause: '4.5', detail: 'second', dueAt: '2027-03-01T00:00:00Z' },
        { code: 'review-overdue', clause: '4.5', detail: 'first', dueAt: '2027-01-01T00:00:00Z' },
      ],
    });
    const none = decision({ partnerId: 'a-none' });
    const soon = decision({
      partnerId: 'soon',
      obligations: [
        { code: 'declaration-required', clause: '4.2', detail: 'x', dueAt: '2026-12-15T00:00:00Z' },
      ],
    });
    expect(nextObligation(late)?.detail).toBe('first');
    expect(nextObligation(none)).toBeUndefined();
    expect(sortPartners([none, late, soon]).map((p) => p.partnerId)).toEqual(['soon', 'late', 'a-none']);
  });

  it('says what each decision rests on, with its clause', () => {
    expect(
      basisText(
        decision({
          basis: [
            { kind: 'certificate', clause: '4.4(a)', certificateId: 'AEO-1' },
            { kind: 'review', clause: '4.5', reviewId: 'r-9', outcome: 'credible' },
          ],
        }),
      ),
    ).toEqual(['certificate AEO-1 (4.4(a))', 'review r-9 (4.5)']);
  });

  it('fills the catalogue’s values and formats dates in the given locale', () => {
    expect(t('partners.total', { count: 3 })).toBe('3 partners');
    expect(t('status.pending-review')).toBe('pending review');
    expect(formatDate('2027-01-05T00:00:00Z', 'en-GB')).toBe('5 Jan 2027');
    expect(formatDate('not a date')).toBe('not a date');
  });
});
