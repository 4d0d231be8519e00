import { describe, expect, it } from 'vitest';
import {
  countOutcomes,
  type InviteRow,
  readInviteFile,
  runLimited,
  SAMPLE_CSV,
  splitList,
} from './invite-rows.js';

const rows = (text: string) => readInviteFile(text) as InviteRow[];

describe('readInviteFile', () => {
  it('reads the sample file into one offer per row', () => {
    expect(rows(SAMPLE_CSV)).toEqual([
      {
        line: 2,
        partnerId: 'acme-logistics',
        offer: {
          partnerId: 'acme-logistics',
          scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        },
      },
      {
        line: 3,
        partnerId: 'northsea-shipping',
        offer: {
          partnerId: 'northsea-shipping',
          scopeOfService: { functions: ['ocean-carrier', 'port-terminal'], locations: ['NLRTM', 'DEHAM'] },
        },
      },
      {
        line: 4,
        partnerId: 'rhein-trucking',
        offer: { partnerId: 'rhein-trucking', scopeOfService: { functions: ['road-carrier'] } },
      },
    ]);
  });

  it('finds the columns by name in any order and case, with a BOM and CRLF', () => {
    expect(rows('\uFEFFLocations,PartnerID,functions\r\n"deham, nlrtm",acme,Warehouse\r\n')).toEqual([
      {
        line: 2,
        partnerId: 'acme',
        offer: {
          partnerId: 'acme',
          scopeOfService: { functions: ['warehouse'], locations: ['DEHAM', 'NLRTM'] },
        },
      },
    ]);
  });

  it('gives each bad row its error, with the column, and keeps the good rows', () => {
    const read = rows(
      'partnerId,functions,locations\nacme,warehouse,DEHAM\n,warehouse,\nBad Id,warehouse,\nb,truck,\nc,warehouse,HAMBURG\nacme,warehouse,\nd,,\n',
    );
    expect(read.map((r) => [r.line, r.offer ? 'offer' : r.error?.column, r.error?.message])).toEqual([
      [2, 'offer', undefined],
      [3, 'partnerId', 'no partner id.'],
      [
        4,
        'partnerId',
        '“Bad Id” is not a party id: lower-case letters, digits and hyphens, up to 64 characters.',
      ],
      [
        5,
        'functions',
        '“truck” is not a function; use one of manufacturer, shipper, ocean-carrier, air-carrier, road-carrier, rail-carrier, forwarder, warehouse, port-terminal, customs-broker.',
      ],
      [
        6,
        'locations',
        '“HAMBURG” is not a UN/LOCODE: two letters for the country and three letters or digits 2–9, e.g. DEHAM.',
      ],
      [7, 'partnerId', 'acme is listed already on line 2: one row per partner.'],
      [8, 'functions', 'no function: name at least one.'],
    ]);
  });

  it('says what is wrong with a file that is not an invitation list', () => {
    expect(readInviteFile('')).toEqual({
      message: 'The file has no rows below its header row. Start from the sample file.',
    });
    expect(readInviteFile('partnerId,functions\n')).toMatchObject({
      message: expect.stringMatching(/no rows/),
    });
    expect(readInviteFile('partnerId,locations\na,DEHAM')).toEqual({
      message: 'The file has no column “functions”: the first row names the columns.',
    });
    expect(readInviteFile('partnerId,functions,notes\na,warehouse,x')).toMatchObject({
      message: expect.stringContaining('“notes”'),
    });
    expect(readInviteFile('partnerId,functions\n"a,warehouse')).toEqual({
      message: 'Line 2: a quote opens a field and is never closed.',
    });
  });
});

describe('splitList', () => {
  it('splits on semicolons, commas, bars and spaces', () => {
    expect(splitList(' a; b,c |d  e ')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(splitList('')).toEqual([]);
  });
});

describe('runLimited', () => {
  it('runs every item, never more than the limit at once, and reports each result by index', async () => {
    let running = 0;
    let most = 0;
    const results: [number, number][] = [];
    const items = Array.from({ length: 25 }, (_, i) => i);
    await runLimited(
      items,
      4,
      async (item) => {
        running++;
        most = Math.max(most, running);
        await Promise.resolve();
        await Promise.resolve();
        running--;
        return item * 2;
      },
      (result, index) => results.push([index, result]),
    );
    expect(most).toBe(4);
    expect(results.sort((a, b) => a[0] - b[0])).toEqual(items.map((i) => [i, i * 2]));
  });

  it('counts outcomes', () => {
    expect(
      countOutcomes([{ kind: 'created' }, { kind: 'linked' }, undefined, { kind: 'error', message: 'x' }]),
    ).toEqual({ created: 1, linked: 1, error: 1 });
  });
});
