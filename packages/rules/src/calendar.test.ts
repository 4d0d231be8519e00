import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, daysInMonth } from './calendar.js';

const iso = (ms: number) => new Date(ms).toISOString();
const plus = (from: string, months: number) => iso(addMonths(Date.parse(from), months));

describe('calendar months', () => {
  it.each([
    // A review of 20 January is due again on 20 January, across a leap year or not.
    ['2027-01-20T09:30:00.000Z', 12, '2028-01-20T09:30:00.000Z'],
    ['2028-01-20T09:30:00.000Z', 12, '2029-01-20T09:30:00.000Z'],
    ['2027-03-01T00:00:00.000Z', 12, '2028-03-01T00:00:00.000Z'],
    ['2027-01-20T00:00:00.000Z', 36, '2030-01-20T00:00:00.000Z'],
    // End of the month: the last day of a shorter month, never the month after.
    ['2027-08-31T12:00:00.000Z', 6, '2028-02-29T12:00:00.000Z'],
    ['2026-08-31T12:00:00.000Z', 6, '2027-02-28T12:00:00.000Z'],
    ['2027-01-31T00:00:00.000Z', 1, '2027-02-28T00:00:00.000Z'],
    ['2027-03-31T23:59:59.999Z', 1, '2027-04-30T23:59:59.999Z'],
    ['2028-02-29T00:00:00.000Z', 12, '2029-02-28T00:00:00.000Z'],
    ['2028-02-29T00:00:00.000Z', 48, '2032-02-29T00:00:00.000Z'],
    ['2100-01-31T00:00:00.000Z', 1, '2100-02-28T00:00:00.000Z'],
    ['2000-01-31T00:00:00.000Z', 1, '2000-02-29T00:00:00.000Z'],
    // Over a year end, backwards, and not at all.
    ['2027-11-15T08:00:00.000Z', 3, '2028-02-15T08:00:00.000Z'],
    ['2027-03-31T00:00:00.000Z', -1, '2027-02-28T00:00:00.000Z'],
    ['2027-05-17T10:00:00.000Z', 0, '2027-05-17T10:00:00.000Z'],
    ['0099-12-31T00:00:00.000Z', 2, '0100-02-28T00:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, to) => {
    expect(plus(from, months)).toBe(to);
  });

  it('refuses what is not an instant and a whole number of months', () => {
    expect(() => addMonths(Number.NaN, 1)).toThrow(TypeError);
    expect(() => addMonths(0, 1.5)).toThrow(TypeError);
  });

  it('knows the Gregorian leap years', () => {
    expect([1900, 2000, 2024, 2027, 2028, 2100].map((y) => daysInMonth(y, 1))).toEqual([
      28, 29, 29, 28, 29, 28,
    ]);
  });

  const instant = fc.integer({ min: Date.parse('1970-01-01'), max: Date.parse('2200-12-31') });
  const months = fc.integer({ min: -240, max: 240 });

  it('keeps the time of day and the day of the month, or ends on the last day of a shorter month', () => {
    fc.assert(
      fc.property(instant, months, (t, n) => {
        const from = new Date(t);
        const to = new Date(addMonths(t, n));
        const index = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
        expect(index(to) - index(from)).toBe(n);
        expect(to.getUTCDate()).toBe(
          Math.min(from.getUTCDate(), daysInMonth(to.getUTCFullYear(), to.getUTCMonth())),
        );
        const timeOfDay = (ms: number) => ((ms % 86_400_000) + 86_400_000) % 86_400_000;
        expect(timeOfDay(addMonths(t, n))).toBe(timeOfDay(t));
      }),
    );
  });

  it('never ends on an earlier day for a later instant, nor later month by month than at once', () => {
    // By the day, not the millisecond: the days a shorter month lacks (30 and 31 December + 18
    // months) all end on its last day, each at its own time of day, so 30 December 00:00:00.001
    // ends a millisecond after 31 December 00:00 does, on the same day (seed 688828474).
    const day = (ms: number) => Math.floor(ms / 86_400_000);
    fc.assert(
      fc.property(instant, instant, months, months, (a, b, m, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(day(addMonths(early, m))).toBeLessThanOrEqual(day(addMonths(late, m)));
        // Neither shortened by a month's end: the order is kept to the millisecond.
        const kept = (t: number) => new Date(addMonths(t, m)).getUTCDate() === new Date(t).getUTCDate();
        if (kept(early) && kept(late)) expect(addMonths(early, m)).toBeLessThanOrEqual(addMonths(late, m));
        if (m >= 0 && n >= 0) expect(addMonths(addMonths(a, m), n)).toBeLessThanOrEqual(addMonths(a, m + n));
      }),
    );
  });

  it('makes a year of 12 months 365 or 366 days, exactly as the calendar has them', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const days = (addMonths(t, 12) - t) / 86_400_000;
        expect([365, 366]).toContain(days);
        const d = new Date(t);
        // 366 only when a 29 February lies within the year that follows.
        const year = d.getUTCMonth() >= 2 ? d.getUTCFullYear() + 1 : d.getUTCFullYear();
        const leap = daysInMonth(year, 1) === 29;
        const onLeapDay = d.getUTCMonth() === 1 && d.getUTCDate() === 29;
        expect(days).toBe(leap && !onLeapDay ? 366 : 365);
      }),
    );
  });
});
