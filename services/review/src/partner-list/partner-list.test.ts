import type { PartnerDecision } from '@pdx/contracts';
import { PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  type ListQuery,
  mergeOrdered,
  nextDueMs,
  type PartnerRowDoc,
  pageOf,
  parseListQuery,
  partnerRowOf,
  rowMatches,
  sortKeyOf,
} from './partner-list.js';

const decision = (partnerId: string, dues: (string | undefined)[], status = 'credible'): PartnerDecision =>
  ({
    buyerId: 'globex',
    partnerId,
    status,
    clauses: ['4.5'],
    basis: [],
    functions: [{ function: 'warehouse', status, clause: '4.5' }],
    obligations: dues.map((dueAt) => ({
      code: 'review',
      clause: '4.5',
      detail: 'x',
      ...(dueAt ? { dueAt } : {}),
    })),
  }) as unknown as PartnerDecision;

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof PdxError) return `${e.code} ${e.pointer}`;
    throw e;
  }
  return 'no error';
};

const rows = (n: number): PartnerRowDoc[] =>
  Array.from({ length: n }, (_, i) =>
    partnerRowOf(
      'globex',
      decision(`p-${String(i).padStart(3, '0')}`, [new Date(1e12 + i).toISOString()]),
      undefined,
      [],
    ),
  );

describe('the partner list rows', () => {
  it('orders by the next due date, then the partner id; no due date comes last', () => {
    const a = partnerRowOf(
      'globex',
      decision('b', ['2027-05-01T00:00:00Z', '2027-04-01T00:00:00Z']),
      undefined,
      [],
    );
    const b = partnerRowOf('globex', decision('a', [undefined]), undefined, []);
    const c = partnerRowOf('globex', decision('a', ['2027-04-01T00:00:00Z']), undefined, []);
    expect(a.dueMs).toBe(Date.parse('2027-04-01T00:00:00Z'));
    expect(nextDueMs(decision('x', [undefined]))).toBe(Number.MAX_SAFE_INTEGER);
    expect(mergeOrdered([[a, b], [c]], 10, 1).map((r) => r.id)).toEqual(['globex~a', 'globex~b', 'globex~a']);
    expect(mergeOrdered([[a, b], [c]], 10, 1)).toEqual([c, a, b]);
    expect(sortKeyOf(Number.MAX_SAFE_INTEGER, 'z')).toBe('9007199254740991~z');
  });

  it('is searched by name, id, identifiers and certificate numbers, case-insensitively', () => {
    const row = partnerRowOf(
      'globex',
      decision('acme', []),
      {
        legalName: 'Acme Logistics GmbH',
        country: 'DE',
        identifiers: [{ scheme: 'EORI', value: 'DE123456789012345' }],
      },
      ['DE AEOS 4711/27'],
    );
    const q = (text: string) => rowMatches(row, parseListQuery({ q: text }));
    expect(q('logistics')).toBe(true);
    expect(q('ACM')).toBe(true);
    expect(q('de1234567')).toBe(true);
    expect(q('de  aeos 4711')).toBe(true);
    expect(q('gmbh de')).toBe(false);
    expect(q('shipco')).toBe(false);
    expect(row.country).toBe('DE');
  });

  it('filters by function and due date', () => {
    const row = partnerRowOf('globex', decision('acme', ['2027-04-01T00:00:00Z']), undefined, []);
    expect(rowMatches(row, parseListQuery({ function: 'warehouse' }))).toBe(true);
    expect(rowMatches(row, parseListQuery({ function: 'ocean-carrier' }))).toBe(false);
    expect(rowMatches(row, parseListQuery({ dueBefore: '2027-04-02' }))).toBe(true);
    expect(rowMatches(row, parseListQuery({ dueBefore: '2027-04-01' }))).toBe(false);
  });
});

describe('the list query', () => {
  it('takes one status or several, in the order of the counts', () => {
    expect(parseListQuery({ status: 'credible,exempt' }).statuses).toEqual(['exempt', 'credible']);
    expect(parseListQuery({}).limit).toBe(50);
  });

  it('refuses each bad value at its parameter', () => {
    expect(codeOf(() => parseListQuery({ status: 'credible,trusted' }))).toBe('PDX_REQUEST_INVALID /status');
    expect(codeOf(() => parseListQuery({ dueBefore: '2027-02-30' }))).toBe('PDX_REQUEST_INVALID /dueBefore');
    expect(codeOf(() => parseListQuery({ q: '   ' }))).toBe('PDX_REQUEST_INVALID /q');
    expect(codeOf(() => parseListQuery({ limit: '201' }))).toBe('PDX_REQUEST_INVALID /limit');
    expect(codeOf(() => parseListQuery({ cursor: 'bm9wZQ' }))).toBe('PDX_REQUEST_INVALID /cursor');
    expect(codeOf(() => parseListQuery({ cursor: '!!' }))).toBe('PDX_REQUEST_INVALID /cursor');
    const forged = Buffer.from(JSON.stringify(['a', "0'; drop", 0])).toString('base64url');
    expect(codeOf(() => parseListQuery({ cursor: forged }))).toBe('PDX_REQUEST_INVALID /cursor');
  });

  it('gives back the cursors it made', () => {
    const cursor = { direction: 'before' as const, sortKey: sortKeyOf(5, 'acme'), offset: 50 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });
});

describe('a page of the list', () => {
  const all = rows(120);
  const q = (cursor?: string): ListQuery => parseListQuery({ limit: '50', ...(cursor ? { cursor } : {}) });
  /** What the store answers: rows past (or before, nearest first) the cursor, one more than the limit. */
  const read = (query: ListQuery) => {
    const c = query.cursor;
    if (!c) return all.slice(0, 51);
    if (c.direction === 'after') return all.filter((r) => r.sortKey > c.sortKey).slice(0, 51);
    return all.filter((r) => r.sortKey < c.sortKey).slice(-51);
  };

  it('goes forward and back with offsets, none twice', () => {
    const first = pageOf(read(q()), q());
    expect([first.offset, first.rows.length, first.previous]).toEqual([0, 50, undefined]);
    const second = pageOf(read(q(first.next)), q(first.next));
    expect([second.offset, second.rows[0]?.partnerId]).toEqual([50, 'p-050']);
    const third = pageOf(read(q(second.next)), q(second.next));
    expect([third.offset, third.rows.length, third.next]).toEqual([100, 20, undefined]);
    const back = pageOf(read(q(third.previous)), q(third.previous));
    expect([back.offset, back.rows[0]?.partnerId, back.rows.at(-1)?.partnerId]).toEqual([
      50,
      'p-050',
      'p-099',
    ]);
    const start = pageOf(read(q(back.previous)), q(back.previous));
    expect([start.offset, start.rows[0]?.partnerId, start.previous]).toEqual([0, 'p-000', undefined]);
    expect(start.next).toBe(first.next);
  });
});
