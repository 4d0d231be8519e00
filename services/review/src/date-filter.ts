import { isInstant, PdxError } from '@pdx/contracts';

/** The query-string schema of a date filter: the value is checked by `dateBound`, with a clear message. */
export const dateFilterSchema = {
  type: 'string',
  maxLength: 64,
  description:
    'A date (YYYY-MM-DD: the beginning of that day, 00:00 UTC) or an RFC 3339 date-time with a zone.',
} as const;

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date filter as milliseconds since the epoch. A plain date is the beginning of that day in
 * UTC, so `dueBefore=2027-03-01` lists what falls due up to the end of 28 February and not
 * what falls due on 1 March; a date-time is taken as it is. Anything else, including a day
 * that does not exist (2027-02-30), is PDX_REQUEST_INVALID at the parameter's pointer.
 */
export function dateBound(name: string, value: string): number {
  const day = PLAIN_DATE.exec(value);
  if (day) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    // Date.parse rolls 2027-02-30 over into March; a real day reads back unchanged.
    if (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value) return ms;
  } else if (isInstant(value)) {
    return Date.parse(value);
  }
  throw new PdxError(
    'PDX_REQUEST_INVALID',
    `${name} must be a date (2027-03-01) or a date-time with a zone (2027-03-01T12:00:00Z), not ${JSON.stringify(value)}`,
    { pointer: `/${name}` },
  );
}
