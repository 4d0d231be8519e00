import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartnerDecision } from '@pdx/contracts';
import { partyDoc } from '@pdx/read-models/testing';
import { type DocumentStore, openEmbeddedStore } from '@pdx/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFactStore } from '../facts/apply-fact-event.js';
import { NEVER, type StatusRecord, statusRecords } from '../facts/fact-docs.js';
import { type ListQueryInput, type PartnerRowDoc, parseListQuery } from './partner-list.js';
import {
  backfillPartnerRows,
  listPartners,
  type PartnerRowDeps,
  partnerRowDocs,
  refreshPartnerRow,
} from './partner-rows.js';

const DAY = 86_400_000;
const t0 = Date.parse('2027-03-01T00:00:00Z');
const N = 30;
const id = (i: number) => `p-${String(i).padStart(2, '0')}`;
/** Every third credible with a review due (on a day that interleaves them), the rest declaration-required. */
const decisionOf = (i: number): PartnerDecision =>
  ({
    buyerId: 'globex',
    partnerId: id(i),
    status: i % 3 === 0 ? 'credible' : 'declaration-required',
    clauses: ['4.5'],
    basis: [],
    functions: [{ function: i % 2 === 0 ? 'warehouse' : 'forwarder', status: 'credible', clause: '4.5' }],
    obligations:
      i % 5 === 4
        ? []
        : [
            {
              code: 'review-due',
              clause: '4.5',
              detail: 'x',
              dueAt: new Date(t0 + ((i * 7) % N) * DAY).toISOString(),
            },
          ],
    evaluatedAt: new Date(t0).toISOString(),
    policyVersion: 1,
    catalogueVersion: 1,
  }) as unknown as PartnerDecision;

/**
 * The partner list on the embedded store: rows kept from the status records, and pages read
 * through the indexes (status filters merged) or by scanning (search), forward and back.
 */
describe('partner list rows on the embedded store', () => {
  let dir: string;
  let store: DocumentStore;
  let deps: PartnerRowDeps;
  const list = (input: ListQueryInput = {}) => listPartners(deps, 'globex', parseListQuery(input));
  /** Every partner of the query, page by page with `limit` forward, then back from the last page. */
  const walk = async (input: ListQueryInput) => {
    const forward: string[][] = [];
    let page = await list(input);
    forward.push(page.partners.map((p) => p.partnerId));
    while (page.next) {
      page = await list({ ...input, cursor: page.next });
      forward.push(page.partners.map((p) => p.partnerId));
    }
    const backward: string[][] = [];
    while (page.previous) {
      page = await list({ ...input, cursor: page.previous });
      backward.unshift(page.partners.map((p) => p.partnerId));
    }
    return {
      forward,
      backward: [...backward, forward.at(-1)!],
      offset: page.offset,
      matching: page.matching,
    };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-partner-rows-'));
    store = openEmbeddedStore({ dir, database: 'review' });
    const facts = await openFactStore(store);
    deps = {
      ...facts,
      statuses: await store.collection<StatusRecord>(statusRecords),
      partnerRows: await store.collection<PartnerRowDoc>(partnerRowDocs),
    };
    for (let i = 0; i < N; i++) {
      await deps.parties.put(
        partyDoc({
          id: id(i),
          legalName: `Partner ${i}`,
          country: i % 2 === 0 ? 'DE' : 'FR',
          identifiers: [{ scheme: 'EORI', value: `DE00${i}` }],
          roles: ['partner'],
          keys: [],
        }),
      );
      await deps.statuses.put({
        id: `globex~${id(i)}`,
        buyerId: 'globex',
        partnerId: id(i),
        decision: decisionOf(i),
        linked: true,
        nextChangeMs: NEVER,
        scheduled: false,
        version: 1,
      } as StatusRecord);
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the rows of decisions made before the list was kept, and only those', async () => {
    expect(await backfillPartnerRows(deps, () => false)).toBe(N);
    expect(await backfillPartnerRows(deps, () => false)).toBe(0);
    expect(await deps.partnerRows.count({ buyerId: 'globex' })).toBe(N);
    // A link that ends takes the partner off the list.
    const record = (await deps.statuses.get('globex~p-03'))!;
    await deps.statuses.put({ ...record, linked: false });
    await refreshPartnerRow(deps, record);
    expect(await deps.partnerRows.get('globex~p-03')).toBeUndefined();
  });

  it('pages in due order through merged status queries and through a scan, both ways', async () => {
    await backfillPartnerRows(deps, () => false);
    const all = (await list({ limit: '200' })).partners.map((p) => p.partnerId);
    const due = (p: string) => {
      const d = decisionOf(Number(p.slice(2))).obligations[0]?.dueAt;
      return d === undefined ? Number.MAX_SAFE_INTEGER : Date.parse(d);
    };
    expect(all).toEqual([...all].sort((a, b) => due(a) - due(b) || (a < b ? -1 : 1)));
    expect(all).toHaveLength(N);

    // Two statuses: one indexed query each, merged into the same order.
    const both = await walk({ status: 'credible,declaration-required', limit: '4' });
    expect(both.forward.flat()).toEqual(all);
    expect(both.backward).toEqual(both.forward);
    expect([both.offset, both.matching]).toEqual([0, N]);

    // A search and a function (read and filtered), with the cursors the same way.
    const scanned = await walk({ q: 'partner', function: 'warehouse', limit: '4' });
    expect(scanned.forward.flat()).toEqual(all.filter((p) => Number(p.slice(2)) % 2 === 0));
    expect(scanned.backward).toEqual(scanned.forward);
    expect(scanned.matching).toBe(N / 2);

    const page = await list({ status: 'credible', country: 'DE', limit: '2' });
    expect(page.counts).toMatchObject({ credible: 10, 'declaration-required': 20, exempt: 0 });
    expect([page.total, page.matching]).toEqual([N, 5]);
    expect(page.parties[page.partners[0]!.partnerId]).toMatchObject({ country: 'DE' });
  });
});
