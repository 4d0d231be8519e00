import type { PartnerDecision } from './api.js';
import { type MessageKey, t } from './messages.js';
import { type PartnerStatus, partnerStatuses, type ServiceFunction, serviceFunctions } from './vocabulary.js';

export type Status = PartnerStatus;
type Obligation = PartnerDecision['obligations'][number];

/** The counts of the answer (every status, zero included), in the schema's order. */
export function countByStatus(counts: Partial<Record<Status, number>>): { status: Status; count: number }[] {
  return partnerStatuses.map((status) => ({ status, count: counts[status] ?? 0 }));
}

/** The obligation due first (one without a due date comes after those with one). */
export function nextObligation(decision: PartnerDecision): Obligation | undefined {
  return [...decision.obligations].sort((a, b) => {
    if (a.dueAt === b.dueAt) return 0;
    if (a.dueAt === undefined) return 1;
    if (b.dueAt === undefined) return -1;
    return Date.parse(a.dueAt) - Date.parse(b.dueAt);
  })[0];
}

/** The facts a decision rests on, in words: "certificate AEO-1 (4.4(a))". */
export function basisText(decision: PartnerDecision): string[] {
  return decision.basis.map((b) => {
    const id = b.certificateId ?? b.declarationId ?? b.reviewId ?? '';
    const what = t(`basis.${b.kind}` as MessageKey, { id }).trim();
    return `${what} (${b.clause})`;
  });
}

/** The word for a status. */
export const statusWord = (status: Status): string => t(`status.${status}` as MessageKey);

/** What the list shows, as kept in the address (`/partners?status=exempt,covered&q=acme`). */
export interface ListFilter {
  statuses: Status[];
  function?: ServiceFunction;
  country?: string;
  /** A plain date (YYYY-MM-DD), as a date field gives it. */
  dueBefore?: string;
  q?: string;
  /** The page: a cursor the exchange gave (next or previous). */
  cursor?: string;
}

/** The filter in the address; values the console would not send are left out. */
export function filterFromQuery(params: URLSearchParams): ListFilter {
  const statuses = (params.get('status') ?? '')
    .split(',')
    .filter((s): s is Status => partnerStatuses.includes(s as Status));
  const fn = params.get('function') ?? '';
  const filter: ListFilter = { statuses: partnerStatuses.filter((s) => statuses.includes(s)) };
  if (serviceFunctions.includes(fn as ServiceFunction)) filter.function = fn as ServiceFunction;
  for (const name of ['country', 'dueBefore', 'q', 'cursor'] as const) {
    const value = params.get(name)?.trim();
    if (value) filter[name] = value;
  }
  return filter;
}

/** The filter as address parameters (for setQuery), the same names as the API's. */
export function queryOfFilter(filter: ListFilter): Record<string, string | undefined> {
  return {
    status: filter.statuses.length > 0 ? filter.statuses.join(',') : undefined,
    function: filter.function,
    country: filter.country,
    dueBefore: filter.dueBefore,
    q: filter.q,
    cursor: filter.cursor,
  };
}

/** Whether the filter narrows the list (a page cursor alone does not). */
export const isFiltered = (filter: ListFilter): boolean =>
  filter.statuses.length > 0 ||
  filter.function !== undefined ||
  filter.country !== undefined ||
  filter.dueBefore !== undefined ||
  filter.q !== undefined;

/** "Showing 51–100 of 9,876" (numbers in the person's locale), or nothing on an empty page. */
export function showingText(offset: number, shown: number, matching: number, locale?: string): string {
  if (shown === 0) return '';
  const n = new Intl.NumberFormat(locale);
  return t('partnersList.showing', {
    from: n.format(offset + 1),
    to: n.format(offset + shown),
    matching: n.format(matching),
  });
}
