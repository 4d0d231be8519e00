import type { PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { event, memoryCollection } from './fixtures.js';
import {
  applyLinkEvent,
  evolveLink,
  type LinkDoc,
  type LinkEvent,
  linkCollection,
  linkScope,
} from './links.js';

const id = 'globex~acme';
const common = { relationshipId: id, buyerId: 'globex', partnerId: 'acme' };
const offered = event(
  'org.pdx.relationship.offered.v1',
  'acme',
  {
    ...common,
    scopeOfService: {
      functions: ['warehouse', 'road-carrier'],
      locations: ['DEHAM'],
      routes: [{ from: 'DEHAM', to: 'NLRTM', mode: 'road' }],
    },
    offeredAt: '2027-01-01T00:00:00.000Z',
  },
  'e-offered',
);
const reoffered = event(
  'org.pdx.relationship.offered.v1',
  'acme',
  { ...common, scopeOfService: { functions: ['forwarder'] }, offeredAt: '2027-05-01T00:00:00.000Z' },
  'e-reoffered',
);
const accepted = event(
  'org.pdx.relationship.accepted.v1',
  'acme',
  { ...common, acceptedAt: '2027-01-02T00:00:00.000Z' },
  'e-accepted',
);
const ended = event(
  'org.pdx.relationship.ended.v1',
  'acme',
  { ...common, endedAt: '2027-04-01T00:00:00.000Z', endedBy: 'globex' },
  'e-ended',
);

const offer: LinkDoc = {
  id,
  ...common,
  scopeOfService: offered.data.scopeOfService,
  state: 'offered',
  offeredAt: '2027-01-01T00:00:00.000Z',
};
const acceptance: LinkDoc = { ...offer, state: 'accepted', acceptedAt: '2027-01-02T00:00:00.000Z' };
const end: LinkDoc = {
  ...acceptance,
  state: 'ended',
  endedAt: '2027-04-01T00:00:00.000Z',
  endedBy: 'globex',
};
const newOffer: LinkDoc = {
  id,
  ...common,
  scopeOfService: { functions: ['forwarder'] },
  state: 'offered',
  offeredAt: '2027-05-01T00:00:00.000Z',
};

describe('evolveLink', () => {
  const rows: { name: string; given: LinkDoc | undefined; when: LinkEvent; expected: LinkDoc }[] = [
    {
      name: 'an offer makes the link with its whole scope',
      given: undefined,
      when: offered,
      expected: offer,
    },
    { name: 'an offer seen again is the same link', given: offer, when: offered, expected: offer },
    { name: 'the partner accepts', given: offer, when: accepted, expected: acceptance },
    { name: 'an acceptance seen again is the same', given: acceptance, when: accepted, expected: acceptance },
    { name: 'either side ends it', given: acceptance, when: ended, expected: end },
    { name: 'an end seen again is the same', given: end, when: ended, expected: end },
    {
      name: 'an offer after the end starts the link afresh',
      given: end,
      when: reoffered,
      expected: newOffer,
    },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolveLink(given, when)).toEqual(expected);
  });

  it.each([
    ['an acceptance', accepted],
    ['an end', ended],
  ])('%s of a link the copy has not seen offered is refused with PDX_RELATIONSHIP_NOT_FOUND', (_, e) => {
    let error: PdxError | undefined;
    try {
      evolveLink(undefined, e);
    } catch (thrown) {
      error = thrown as PdxError;
    }
    expect(error?.name).toBe('PdxError');
    expect(error?.code).toBe('PDX_RELATIONSHIP_NOT_FOUND');
    expect(error?.message).toContain(e.id);
  });
});

describe('applyLinkEvent', () => {
  it('writes what evolve says; each event applied twice gives the same document', async () => {
    const docs = memoryCollection<LinkDoc>();
    for (const e of [offered, offered, accepted, accepted, ended, ended]) await applyLinkEvent(docs, e);
    expect(await docs.get(id)).toEqual(end);
  });
});

describe('linkScope', () => {
  it.each([
    {
      name: 'reads the scope as offered',
      link: offer,
      expected: { functions: ['warehouse', 'road-carrier'], locations: ['DEHAM'] },
    },
    {
      name: 'no locations offered: none',
      link: newOffer,
      expected: { functions: ['forwarder'], locations: [] },
    },
    {
      name: 'reads a link the review service stored with top-level functions and locations',
      link: {
        id,
        buyerId: 'globex',
        partnerId: 'acme',
        state: 'accepted',
        functions: ['warehouse'],
        locations: ['DEHAM'],
      } as unknown as LinkDoc,
      expected: { functions: ['warehouse'], locations: ['DEHAM'] },
    },
  ])('$name', ({ link, expected }) => {
    expect(linkScope(link)).toEqual(expected);
  });
});

describe('linkCollection', () => {
  it('always indexes the buyers of a partner, and adds what a service asks for once', () => {
    expect(linkCollection()).toEqual({ name: 'links', indexes: [{ fields: ['partnerId', 'state'] }] });
    expect(
      linkCollection({ indexes: [{ fields: ['buyerId', 'state'] }, { fields: ['partnerId', 'state'] }] }),
    ).toEqual({
      name: 'links',
      indexes: [{ fields: ['partnerId', 'state'] }, { fields: ['buyerId', 'state'] }],
    });
  });
});
