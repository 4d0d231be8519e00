/**
 * Calendar arithmetic for policy intervals. Review intervals are policy text in months and
 * years ("every 24 months"), so they are counted in calendar months, not in days: a review
 * recorded on 20 January is due again on 20 January, whatever leap years lie between.
 *
 * Months are counted in UTC, keeping the time of day. When the target month is shorter than
 * the day of the month (31 August + 6 months), the interval ends on its last day (28 or 29
 * February): never in the month after, so an interval is never longer than its months.
 */
export function addMonths(ms: number, months: number): number {
  if (!Number.isFinite(ms) || !Number.isSafeInteger(months)) {
    throw new TypeError(`addMonths needs an instant and a whole number of months, not ${ms}, ${months}`);
  }
  const from = new Date(ms);
  const index = from.getUTCFullYear() * 12 + from.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const day = Math.min(from.getUTCDate(), daysInMonth(year, month));
  const to = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps the years 0–99 to 1900–1999.
  to.setUTCFullYear(year, month, day);
  to.setUTCHours(from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds());
  return to.getTime();
}

/** Days in a month of the proleptic Gregorian calendar (month 0 = January). */
export function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;
}
