import type { PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { dateBound } from './date-filter.js';

describe('date filters (dueBefore)', () => {
  it('takes a plain date as the beginning of that day in UTC', () => {
    expect(dateBound('dueBefore', '2027-03-01')).toBe(Date.parse('2027-03-01T00:00:00Z'));
    // Due on 28 February at 23:59 is before 1 March; due on 1 March at 00:00 is not.
    expect(Date.parse('2027-02-28T23:59:59.999Z')).toBeLessThan(dateBound('dueBefore', '2027-03-01'));
    expect(Date.parse('2027-03-01T00:00:00Z')).not.toBeLessThan(dateBound('dueBefore', '2027-03-01'));
  });

  it('takes a date-time with a zone as it is', () => {
    expect(dateBound('dueBefore', '2027-03-01T12:00:00+02:00')).toBe(Date.parse('2027-03-01T10:00:00Z'));
  });

  it.each([
    ['2027-02-30', 'a day that does not exist'],
    ['2027-3-1', 'no leading zeros'],
    ['2027-03-01T12:00:00', 'a date-time without a zone'],
    ['tomorrow', 'words'],
  ])('refuses %s (%s) with PDX_REQUEST_INVALID at the parameter', (value) => {
    let error: PdxError | undefined;
    try {
      dateBound('dueBefore', value);
    } catch (e) {
      error = e as PdxError;
    }
    expect(error?.code).toBe('PDX_REQUEST_INVALID');
    expect(error?.pointer).toBe('/dueBefore');
    expect(error?.message).toContain('must be a date (2027-03-01) or a date-time with a zone');
  });
});
