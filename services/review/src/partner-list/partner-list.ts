import { type PartnerDecision, PdxError } from '@pdx/contracts';
import { partnerStatuses } from '@pdx/rules';
import { normaliseCertificateNumber } from '@pdx/schemes';
import { dateBound } from '../date-filter.js';

export type PartnerStatusWord = PartnerDecision['status'];

/** Every status a decision can have, in the order the counts are listed. */
export const PARTNER_STATUSES: readonly PartnerStatusWord[] = partnerStatuses;

/** A page holds this many partners unless the caller asks for another number, up to MAX. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/** Digits of a due time in the sort key: Number.MAX_SAFE_INTEGER (no due date) has 16. */
const DUE_DIGITS = 16;

/**
 * One row of a buyer's partner list: what the list filters, searches and orders by, kept by
 * the review service beside the decision (the decision itself stays on the status record).
 * Its id is the pair's (`buyer~partner`), like the status record's.
 */
export interface PartnerRowDoc {
  id: string;
  buyerId: string;
  partnerId: string;
  status: PartnerStatusWord;
  /** The functions of the scope of service (ISO 28001 3.17) the decision covers. */
  functions: string[];
  /** The partner's country as registered ('' while the registration is not known here). */
  country: string;
  legalName?: string;
  /** When the next obligation falls due (ms), or Number.MAX_SAFE_INTEGER when none has a date. */
  dueMs: number;
  /**
   * The order of the list, unique within a buyer: the due time (zero-padded) then the partner
   * id. One field, so keyset paging runs both ways on one index with no ties to break.
   */
  sortKey: string;
  /** Lower-case words a search matches: id, legal name, identifiers, certificate numbers. */
  search: string;
}

export interface PartyFacts {
  legalName?: string;
  country?: string;
  identifiers?: readonly { scheme: string; value: string }[];
}

/** The earliest due date among the decision's obligations (ms); none: MAX_SAFE_INTEGER. */
export function nextDueMs(decision: PartnerDecision): number {
  let due = Number.MAX_SAFE_INTEGER;
  for (const o of decision.obligations) {
    if (o.dueAt !== undefined) due = Math.min(due, Date.parse(o.dueAt));
  }
  return due;
}

export const sortKeyOf = (dueMs: number, partnerId: string): string =>
  `${String(Math.max(0, dueMs)).padStart(DUE_DIGITS, '0')}~${partnerId}`;

/** The list row of a linked pair's decision, with what the buyer may search the partner by. */
export function partnerRowOf(
  buyerId: string,
  decision: PartnerDecision,
  party: PartyFacts | undefined,
  certificateNumbers: readonly string[],
): PartnerRowDoc {
  const dueMs = nextDueMs(decision);
  const words = new Set<string>([decision.partnerId]);
  if (party?.legalName) words.add(party.legalName.toLowerCase());
  for (const i of party?.identifiers ?? []) words.add(normaliseCertificateNumber(i.value).toLowerCase());
  for (const n of certificateNumbers) words.add(normaliseCertificateNumber(n).toLowerCase());
  return {
    id: `${buyerId}~${decision.partnerId}`,
    buyerId,
    partnerId: decision.partnerId,
    status: decision.status,
    functions: [...new Set(decision.functions.map((f) => f.function))].sort(),
    country: party?.country ?? '',
    ...(party?.legalName === undefined ? {} : { legalName: party.legalName }),
    dueMs,
    sortKey: sortKeyOf(dueMs, decision.partnerId),
    // One word per line: a search never matches across two of them.
    search: [...words].join('\n'),
  };
}

/** The query of GET /v1/partner-status as it arrives (strings, already shaped by the schema). */
export interface ListQueryInput {
  status?: string;
  function?: string;
  country?: string;
  dueBefore?: string;
  q?: string;
  /** Digits (the query string is text). */
  limit?: string;
  cursor?: string;
}

/** Where a page starts: past a row (`after`) or before it (`before`), and its offset then. */
export interface Cursor {
  direction: 'after' | 'before';
  sortKey: string;
  /** How many matching rows came before the page the cursor leads to, when it was made. */
  offset: number;
}

export interface ListQuery {
  statuses?: readonly PartnerStatusWord[];
  function?: string;
  country?: string;
  dueBeforeMs?: number;
  /** The search, normalised like the words of a row (lower case, single spaces). */
  q?: string;
  limit: number;
  cursor?: Cursor;
}

const invalid = (name: string, message: string) =>
  new PdxError('PDX_REQUEST_INVALID', message, { pointer: `/${name}` });

/**
 * Parses the list's query: `status` is one status or several separated by commas; `dueBefore`
 * a date or date-time (date-filter.ts); `q` a search; `cursor` one this service gave. Each bad
 * value is PDX_REQUEST_INVALID at its parameter's pointer.
 */
export function parseListQuery(input: ListQueryInput): ListQuery {
  const query: ListQuery = { limit: input.limit === undefined ? DEFAULT_LIMIT : Number(input.limit) };
  if (input.status !== undefined) {
    const wanted = input.status.split(',');
    for (const s of wanted) {
      if (!PARTNER_STATUSES.includes(s as PartnerStatusWord)) {
        throw invalid(
          'status',
          `status must be one or more of ${PARTNER_STATUSES.join(', ')}, separated by commas, not ${JSON.stringify(s)}`,
        );
      }
    }
    query.statuses = PARTNER_STATUSES.filter((s) => wanted.includes(s));
  }
  if (input.function !== undefined) query.function = input.function;
  if (input.country !== undefined) query.country = input.country;
  if (input.dueBefore !== undefined) query.dueBeforeMs = dateBound('dueBefore', input.dueBefore);
  if (input.q !== undefined) {
    const q = normaliseCertificateNumber(input.q).toLowerCase();
    if (q.length === 0) throw invalid('q', 'q must contain something to search for');
    query.q = q;
  }
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIMIT) {
    throw invalid('limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  if (input.cursor !== undefined) query.cursor = decodeCursor(input.cursor);
  return query;
}

const SORT_KEY = /^\d{16}~[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A cursor as the answer carries it: opaque to the caller (base64url of a small JSON). */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(
    JSON.stringify([cursor.direction === 'after' ? 'a' : 'b', cursor.sortKey, cursor.offset]),
  ).toString('base64url');
}

/** A cursor this service gave, or PDX_REQUEST_INVALID at /cursor: it is attacker-controlled text. */
export function decodeCursor(text: string): Cursor {
  const bad = () => invalid('cursor', 'cursor must be a value of next or previous from an earlier answer');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad();
  const [direction, sortKey, offset] = parsed as unknown[];
  if (
    (direction !== 'a' && direction !== 'b') ||
    typeof sortKey !== 'string' ||
    !SORT_KEY.test(sortKey) ||
    typeof offset !== 'number' ||
    !Number.isSafeInteger(offset) ||
    offset < 0
  )
    throw bad();
  return { direction: direction === 'a' ? 'after' : 'before', sortKey, offset };
}

/** Whether a row passes the filters that are not an equality on an indexed field. */
export function rowMatches(row: PartnerRowDoc, query: ListQuery): boolean {
  return (
    (query.function === undefined || row.functions.includes(query.function)) &&
    (query.dueBeforeMs === undefined || row.dueMs < query.dueBeforeMs) &&
    (query.q === undefined || row.search.split('\n').some((w) => w.includes(query.q as string)))
  );
}

/** Whether the query filters on more than status and country (then the list is read and filtered). */
export const needsScan = (query: ListQuery): boolean =>
  query.function !== undefined || query.dueBeforeMs !== undefined || query.q !== undefined;

/**
 * One page of rows already in list order (`before`: those just before the cursor, still in
 * list order), with the cursors of the pages either side. `more` says whether rows lie past
 * the page's far end (the query asked one more than the limit).
 */
export function pageOf(
  rows: readonly PartnerRowDoc[],
  query: ListQuery,
): { rows: PartnerRowDoc[]; offset: number; next?: string; previous?: string } {
  const { limit, cursor } = query;
  if (cursor?.direction === 'before') {
    // rows: up to limit + 1 rows before the cursor, in list order.
    const page = rows.slice(Math.max(0, rows.length - limit));
    const atStart = rows.length <= limit;
    const offset = atStart ? 0 : Math.max(0, cursor.offset - page.length);
    const first = page[0];
    const last = page.at(-1);
    return {
      rows: page,
      offset,
      ...(last
        ? { next: encodeCursor({ direction: 'after', sortKey: last.sortKey, offset: offset + page.length }) }
        : {}),
      ...(!atStart && first
        ? { previous: encodeCursor({ direction: 'before', sortKey: first.sortKey, offset }) }
        : {}),
    };
  }
  const page = rows.slice(0, limit);
  const offset = cursor?.offset ?? 0;
  const first = page[0];
  const last = page.at(-1);
  return {
    rows: page,
    offset,
    ...(rows.length > limit && last
      ? { next: encodeCursor({ direction: 'after', sortKey: last.sortKey, offset: offset + page.length }) }
      : {}),
    ...(cursor && first
      ? { previous: encodeCursor({ direction: 'before', sortKey: first.sortKey, offset }) }
      : {}),
  };
}

/** The rows of several ordered lists merged into list order (by sort key), at most `limit`. */
export function mergeOrdered(
  lists: readonly PartnerRowDoc[][],
  limit: number,
  order: 1 | -1,
): PartnerRowDoc[] {
  const all = lists.flat();
  all.sort((a, b) => (a.sortKey < b.sortKey ? -order : a.sortKey > b.sortKey ? order : 0));
  return all.slice(0, limit);
}
