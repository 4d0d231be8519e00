import { PartyIdSchema } from '@pdx/contracts/schemas';
import type { Schemas } from '../api.js';
import { type MessageKey, t } from '../messages.js';
import { type ServiceFunction, serviceFunctions } from '../vocabulary.js';
import { CsvError, parseCsv } from './csv.js';

/** The body of POST /v1/relationships. */
export type Scope = Schemas['ScopeOfService'];
export type RelationshipOffer = Schemas['RelationshipOffer'];
/** The offer as the request sends it. */
export const offerBody = (offer: RelationshipOffer): RelationshipOffer => offer;

/** The columns of an invitation file, in the order the sample file has them. */
export const CSV_COLUMNS = ['partnerId', 'functions', 'locations'] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** At most this many rows in one file: more is several files. */
export const MAX_ROWS = 5000;

const PARTY_ID = new RegExp(PartyIdSchema.pattern);
const UNLOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

/** The rows of the sample file the page offers. */
export const SAMPLE_CSV = [
  CSV_COLUMNS.join(','),
  'acme-logistics,warehouse,DEHAM',
  'northsea-shipping,"ocean-carrier;port-terminal","NLRTM;DEHAM"',
  'rhein-trucking,road-carrier,',
].join('\r\n');

/** A list in one cell: items separated by semicolons, commas, spaces or bars. */
export const splitList = (cell: string): string[] =>
  cell
    .split(/[;,|\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** One row of the file: the offer it makes, or why it makes none (with the column at fault). */
export interface InviteRow {
  line: number;
  partnerId: string;
  offer?: RelationshipOffer;
  error?: { column: Column; message: string };
}

/** What is wrong with the file as a whole (nothing is sent). */
export interface FileProblem {
  message: string;
}

/** The rows of an invitation file, each with its offer or its error; or what is wrong with the file. */
export function readInviteFile(text: string): InviteRow[] | FileProblem {
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError)
      return { message: t(`invite.csv.${error.reason}` as MessageKey, { line: error.line }) };
    throw error;
  }
  const [header, ...body] = rows;
  if (!header) return { message: t('invite.csv.empty') };
  const names = header.cells.map((c) => c.trim());
  const index = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    const column = CSV_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!column) return { message: t('invite.csv.unknownColumn', { column: name }) };
    index.set(column, i);
  }
  for (const column of ['partnerId', 'functions'] as const) {
    if (!index.has(column)) return { message: t('invite.csv.missingColumn', { column }) };
  }
  if (body.length === 0) return { message: t('invite.csv.empty') };
  if (body.length > MAX_ROWS)
    return { message: t('invite.csv.tooMany', { max: MAX_ROWS, count: body.length }) };
  const firstLine = new Map<string, number>();
  return body.map(({ line, cells }) => {
    const cell = (column: Column) => {
      const i = index.get(column);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const partnerId = cell('partnerId');
    const fail = (
      column: Column,
      key: MessageKey,
      values: Record<string, string | number> = {},
    ): InviteRow => ({
      line,
      partnerId,
      error: { column, message: t(key, values) },
    });
    if (partnerId === '') return fail('partnerId', 'invite.row.partnerId.missing');
    if (!PARTY_ID.test(partnerId))
      return fail('partnerId', 'invite.row.partnerId.pattern', { value: partnerId });
    const seen = firstLine.get(partnerId);
    if (seen !== undefined) return fail('partnerId', 'invite.row.duplicate', { partnerId, line: seen });
    firstLine.set(partnerId, line);
    const functions = splitList(cell('functions')).map((f) => f.toLowerCase());
    if (functions.length === 0) return fail('functions', 'invite.row.functions.missing');
    const badFunction = functions.find((f) => !serviceFunctions.includes(f as ServiceFunction));
    if (badFunction !== undefined)
      return fail('functions', 'invite.row.function', {
        value: badFunction,
        list: serviceFunctions.join(', '),
      });
    const locations = splitList(cell('locations')).map((l) => l.toUpperCase());
    const badLocation = locations.find((l) => !UNLOCODE.test(l));
    if (badLocation !== undefined) return fail('locations', 'invite.row.location', { value: badLocation });
    if (locations.length > 200) return fail('locations', 'invite.row.locations.tooMany');
    const scopeOfService: Scope = {
      functions: [...new Set(functions)] as ServiceFunction[],
      ...(locations.length > 0 ? { locations: [...new Set(locations)] } : {}),
    };
    return { line, partnerId, offer: { partnerId, scopeOfService } };
  });
}

/** What sending one offer did: `created` (201), `linked` (200: the same offer was there), or an error. */
export type OfferOutcome = { kind: 'created' | 'linked' } | { kind: 'error'; message: string };

export const outcomeOfStatus = (status: number): OfferOutcome =>
  status === 201 ? { kind: 'created' } : { kind: 'linked' };

/** How many rows had each outcome. */
export function countOutcomes(
  outcomes: readonly (OfferOutcome | undefined)[],
): Record<OfferOutcome['kind'], number> {
  const counts = { created: 0, linked: 0, error: 0 };
  for (const o of outcomes) if (o) counts[o.kind]++;
  return counts;
}

/**
 * Runs `work` on every item, at most `limit` at once (the exchange is shared: a file of a
 * thousand partners must not be a thousand requests at once), in the items' order; `done` is
 * told of each result as it comes. Resolves when all are done; `work` must not reject.
 */
export async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  done: (result: R, index: number) => void,
): Promise<void> {
  if (limit < 1) throw new TypeError('limit must be at least 1');
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      done(await work(items[index]!, index), index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
