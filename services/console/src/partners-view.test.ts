import { describe, expect, it } from 'vitest';
import type { PartnerDecision } from './api.js';
import { formatDate, t } from './messages.js';
import {
  basisText,
  countByStatus,
  filterFromQuery,
  isFiltered,
  nextObligation,
  queryOfFilter,
  showingText,
} from './partners-view.js';
import { partnerStatuses } from './vocabulary.js';

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
    const counts = countByStatus({ credible: 2, 'not-credible': 1 });
    expect(counts.map((c) => c.status)).toEqual(partnerStatuses);
    expect(Object.fromEntries(counts.map((c) => [c.status, c.count]))).toMatchObject({
      credible: 2,
      'not-credible': 1,
      exempt: 0,
    });
  });

  it('shows the obligation due first', () => {
    const late = decision({
      partnerId: 'late',
      obligations: [
        { code: 'review-method', clause: '4.5', detail: 'no date' },
        { code: 'review-due', clause: '4.5', detail: 'second', dueAt: '2027-03-01T00:00:00Z' },
        { code: 'review-overdue', clause: '4.5', detail: 'first', dueAt: '2027-01-01T00:00:00Z' },
      ],
    });
    const none = decision({ partnerId: 'a-none' });
    expect(nextObligation(late)?.detail).toBe('first');
    expect(nextObligation(none)).toBeUndefined();
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

  it('keeps the filters in the address, dropping what the console would not send', () => {
    const filter = filterFromQuery(
      new URLSearchParams(
        'status=not-credible,exempt,nonsense&function=warehouse&country=DE&q=%20acme%20&cursor=abc',
      ),
    );
    expect(filter).toEqual({
      statuses: ['exempt', 'not-credible'],
      function: 'warehouse',
      country: 'DE',
      q: 'acme',
      cursor: 'abc',
    });
    expect(queryOfFilter(filter)).toEqual({
      status: 'exempt,not-credible',
      function: 'warehouse',
      country: 'DE',
      dueBefore: undefined,
      q: 'acme',
      cursor: 'abc',
    });
    expect(filterFromQuery(new URLSearchParams('function=teleporter'))).toEqual({ statuses: [] });
    expect(isFiltered(filterFromQuery(new URLSearchParams('cursor=abc')))).toBe(false);
    expect(isFiltered(filterFromQuery(new URLSearchParams('dueBefore=2027-03-01')))).toBe(true);
  });

  it('says which partners a page shows, with numbers in the locale', () => {
    expect(showingText(50, 50, 9876, 'en-GB')).toBe('Showing 51–100 of 9,876');
    expect(showingText(0, 3, 3, 'de-DE')).toBe('Showing 1–3 of 3');
    expect(showingText(0, 0, 0)).toBe('');
  });
});
