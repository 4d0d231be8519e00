import type { PartnerDecision } from '@pdx/contracts';
import type { Collection, Filter } from '@pdx/store';
import type { CertificateDoc, PartyDoc, StatusRecord } from '../facts/fact-docs.js';
import {
  type ListQuery,
  mergeOrdered,
  needsScan,
  PARTNER_STATUSES,
  type PartnerRowDoc,
  type PartnerStatusWord,
  pageOf,
  partnerRowOf,
  rowMatches,
} from './partner-list.js';

export const partnerRowDocs = {
  name: 'partner_rows',
  // Every query is one buyer's, by equality on status and country, in sortKey order.
  indexes: [
    { fields: ['buyerId', 'sortKey'] },
    { fields: ['buyerId', 'status', 'sortKey'] },
    { fields: ['buyerId', 'country', 'sortKey'] },
    { fields: ['buyerId', 'country', 'status', 'sortKey'] },
  ],
} as const;

export interface PartnerRowDeps {
  statuses: Collection<StatusRecord>;
  parties: Collection<PartyDoc>;
  certificates: Collection<CertificateDoc>;
  partnerRows: Collection<PartnerRowDoc>;
}

/**
 * Brings a pair's list row in line with what the service knows now: its decision in force,
 * the partner's registration and certificates. Idempotent (it reads the current state, not
 * the change), so it may run after any event or evaluation that touched the pair; a pair no
 * longer linked leaves the list.
 */
export async function refreshPartnerRow(
  deps: PartnerRowDeps,
  pair: { buyerId: string; partnerId: string },
): Promise<void> {
  const id = `${pair.buyerId}~${pair.partnerId}`;
  const record = await deps.statuses.get(id);
  if (!record?.linked) {
    await deps.partnerRows.delete(id);
    return;
  }
  const party = await deps.parties.get(pair.partnerId);
  const numbers = (await deps.certificates.find({ holder: pair.partnerId })).map((c) => c.certificate.number);
  const row = partnerRowOf(pair.buyerId, record.decision, party, numbers);
  const stored = await deps.partnerRows.get(id);
  if (stored === undefined || JSON.stringify(stored) !== JSON.stringify(row)) await deps.partnerRows.put(row);
}

/**
 * Rows for the linked pairs that have none (decided before the list was kept), page by page:
 * run at start-up, in the background.
 */
export async function backfillPartnerRows(deps: PartnerRowDeps, stopped: () => boolean): Promise<number> {
  let added = 0;
  let after: { value: string; id: string } | undefined;
  for (;;) {
    const page = await deps.statuses.find(
      { linked: true },
      { sort: { field: 'id', order: 1 }, limit: 500, ...(after ? { after } : {}) },
    );
    for (const record of page) {
      if (stopped()) return added;
      if ((await deps.partnerRows.get(record.id)) === undefined) {
        await refreshPartnerRow(deps, record);
        added++;
      }
    }
    const last = page.at(-1);
    if (page.length < 500 || !last) return added;
    after = { value: last.id, id: last.id };
  }
}

export interface PartnerListPage {
  partners: PartnerDecision[];
  parties: Record<string, { legalName?: string; country?: string }>;
  counts: Record<PartnerStatusWord, number>;
  total: number;
  matching: number;
  offset: number;
  next?: string;
  previous?: string;
}

const SCAN_BATCH = 1000;

/**
 * One page of a buyer's partner list. Status and country filters are equalities on an index,
 * read in sortKey order from the cursor on (one query per status asked for, merged), so a
 * page costs a few indexed reads whatever the size of the list; function, due date and search
 * read the buyer's rows in order and filter them (a list of 10,000 rows is a few batches).
 */
export async function listPartners(
  deps: PartnerRowDeps,
  buyerId: string,
  query: ListQuery,
): Promise<PartnerListPage> {
  const countsList = await Promise.all(
    PARTNER_STATUSES.map((status) => deps.partnerRows.count({ buyerId, status })),
  );
  const counts = Object.fromEntries(PARTNER_STATUSES.map((s, i) => [s, countsList[i] ?? 0])) as Record<
    PartnerStatusWord,
    number
  >;
  const total = countsList.reduce((a, b) => a + b, 0);
  const base: Filter = query.country === undefined ? { buyerId } : { buyerId, country: query.country };
  const filters: Filter[] =
    query.statuses === undefined ? [base] : query.statuses.map((status) => ({ ...base, status }));
  const backwards = query.cursor?.direction === 'before';
  const want = query.limit + 1;

  let rows: PartnerRowDoc[];
  let matching: number;
  if (!needsScan(query)) {
    // Keyset: past the cursor's row (its id is the pair's, the partner id ends the sort key).
    const cursor = query.cursor;
    const position = cursor
      ? {
          after: {
            value: cursor.sortKey,
            id: `${buyerId}~${cursor.sortKey.slice(cursor.sortKey.indexOf('~') + 1)}`,
          },
        }
      : {};
    const lists = await Promise.all(
      filters.map((filter) =>
        deps.partnerRows.find(filter, {
          sort: { field: 'sortKey', order: backwards ? -1 : 1 },
          limit: want,
          ...position,
        }),
      ),
    );
    rows = mergeOrdered(lists, want, backwards ? -1 : 1);
    if (backwards) rows.reverse();
    matching =
      query.statuses === undefined && query.country === undefined
        ? total
        : (await Promise.all(filters.map((f) => deps.partnerRows.count(f)))).reduce((a, b) => a + b, 0);
  } else {
    // Every matching row, in order: the count of matches needs them all anyway.
    const lists = await Promise.all(filters.map((filter) => scan(deps.partnerRows, filter, query)));
    const all = mergeOrdered(lists, Number.POSITIVE_INFINITY, 1);
    matching = all.length;
    const key = query.cursor?.sortKey;
    rows =
      key === undefined
        ? all.slice(0, want)
        : backwards
          ? all.filter((r) => r.sortKey < key).slice(-want)
          : all.filter((r) => r.sortKey > key).slice(0, want);
  }
  const page = pageOf(rows, query);
  const records = await Promise.all(page.rows.map((r) => deps.statuses.get(r.id)));
  const partners = records.flatMap((r) => (r?.linked ? [r.decision] : []));
  const parties: PartnerListPage['parties'] = {};
  for (const r of page.rows) {
    parties[r.partnerId] = {
      ...(r.legalName === undefined ? {} : { legalName: r.legalName }),
      ...(r.country === '' ? {} : { country: r.country }),
    };
  }
  return {
    partners,
    parties,
    counts,
    total,
    matching,
    offset: page.offset,
    ...(page.next === undefined ? {} : { next: page.next }),
    ...(page.previous === undefined ? {} : { previous: page.previous }),
  };
}

/** The rows of one filter that pass the other filters, in list order (stops at dueBefore). */
async function scan(
  rows: Collection<PartnerRowDoc>,
  filter: Filter,
  query: ListQuery,
): Promise<PartnerRowDoc[]> {
  const found: PartnerRowDoc[] = [];
  let after: { value: string; id: string } | undefined;
  for (;;) {
    const batch = await rows.find(filter, {
      sort: { field: 'sortKey', order: 1 },
      limit: SCAN_BATCH,
      ...(after ? { after } : {}),
    });
    for (const row of batch) {
      // In due order: past the date, nothing further can fall due before it.
      if (query.dueBeforeMs !== undefined && row.dueMs >= query.dueBeforeMs) return found;
      if (rowMatches(row, query)) found.push(row);
    }
    const last = batch.at(-1);
    if (batch.length < SCAN_BATCH || !last) return found;
    after = { value: last.sortKey, id: last.id };
  }
}
