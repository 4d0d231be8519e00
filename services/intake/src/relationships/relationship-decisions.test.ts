import { deterministicEventId, type RelationshipOffer } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { contextAt, summary } from '../decisions.testing.js';
import { decideAccept, decideEnd, decideOffer } from './relationship-decisions.js';
import type { RelationshipRecord } from './relationship-record.js';

const now = '2026-06-01T00:00:00.000Z';
const context = contextAt(now);
const offered = (scopeOfService: RelationshipOffer['scopeOfService'], state: RelationshipRecord['state']) =>
  ({
    id: 'globex~acme',
    buyerId: 'globex',
    partnerId: 'acme',
    scopeOfService,
    state,
    offeredAt: '2026-03-01T00:00:00.000Z',
    ...(state === 'accepted' ? { acceptedAt: '2026-03-02T00:00:00.000Z' } : {}),
    ...(state === 'ended' ? { endedAt: '2026-03-03T00:00:00.000Z', endedBy: 'acme' } : {}),
    version: 1,
    outbox: [],
    pending: false,
  }) as RelationshipRecord;
const scope = {
  functions: ['warehouse', 'road-carrier'],
  locations: ['DEHAM', 'NLRTM'],
  routes: [
    { from: 'DEHAM', to: 'NLRTM', mode: 'road' },
    { from: 'NLRTM', to: 'DEHAM' },
  ],
} as RelationshipOffer['scopeOfService'];
const offer = (scopeOfService: RelationshipOffer['scopeOfService']) => ({
  buyerId: 'globex',
  offer: { partnerId: 'acme', scopeOfService },
});
const offeredEvent = (version: number) => ({
  type: 'org.pdx.relationship.offered.v1',
  id: deterministicEventId('relationship', 'globex~acme', String(version), 'offered'),
  subject: 'acme',
  data: {
    relationshipId: 'globex~acme',
    buyerId: 'globex',
    partnerId: 'acme',
    scopeOfService: scope,
    offeredAt: now,
  },
});

describe('decideOffer', () => {
  it('offers a new link, and again one that ended', () => {
    expect(summary(decideOffer(undefined, offer(scope), context))).toMatchObject({
      kind: 'change',
      events: [offeredEvent(1)],
      next: { id: 'globex~acme', buyerId: 'globex', partnerId: 'acme', state: 'offered', offeredAt: now },
    });
    const again = decideOffer(offered(scope, 'ended'), offer(scope), context);
    expect(summary(again)).toMatchObject({ kind: 'change', events: [offeredEvent(2)] });
    // A new offer: nothing of the ended link is carried over.
    expect(again.kind === 'change' && again.next).not.toHaveProperty('endedAt');
  });

  it('changes nothing for the same scope, offered or accepted, whatever the order of its lists', () => {
    // A re-imported file, or one written by another tool, may list the same scope in another order.
    const reordered = {
      functions: ['road-carrier', 'warehouse'],
      locations: ['NLRTM', 'DEHAM'],
      routes: [
        { from: 'NLRTM', to: 'DEHAM' },
        { mode: 'road', to: 'NLRTM', from: 'DEHAM' },
      ],
    } as RelationshipOffer['scopeOfService'];
    for (const state of ['offered', 'accepted'] as const) {
      expect(decideOffer(offered(scope, state), offer(scope), context)).toEqual({ kind: 'unchanged' });
      expect(decideOffer(offered(scope, state), offer(reordered), context)).toEqual({ kind: 'unchanged' });
    }
  });

  it('is a new offer for another scope: the partner consents to a scope of service', () => {
    const accepted = offered(scope, 'accepted');
    for (const other of [
      { ...scope, functions: ['warehouse'] },
      { ...scope, locations: ['DEHAM'] },
      { functions: scope.functions, locations: scope.locations },
      {
        ...scope,
        routes: [
          { from: 'DEHAM', to: 'NLRTM' },
          { from: 'NLRTM', to: 'DEHAM' },
        ],
      },
    ] as RelationshipOffer['scopeOfService'][]) {
      expect(summary(decideOffer(accepted, offer(other), context))).toMatchObject({
        kind: 'change',
        events: [{ type: 'org.pdx.relationship.offered.v1', data: { scopeOfService: other } }],
        next: { state: 'offered', scopeOfService: other },
      });
    }
  });
});

describe('decideAccept', () => {
  it.each([
    {
      given: 'an offered link',
      current: offered(scope, 'offered'),
      expected: {
        kind: 'change',
        events: [
          {
            type: 'org.pdx.relationship.accepted.v1',
            id: deterministicEventId('relationship', 'globex~acme', '2', 'accepted'),
            subject: 'acme',
            data: { relationshipId: 'globex~acme', buyerId: 'globex', partnerId: 'acme', acceptedAt: now },
          },
        ],
        next: {
          state: 'accepted',
          acceptedAt: now,
          scopeOfService: scope,
          offeredAt: '2026-03-01T00:00:00.000Z',
        },
      },
    },
    { given: 'an accepted link', current: offered(scope, 'accepted'), expected: { kind: 'unchanged' } },
    {
      given: 'an ended link',
      current: offered(scope, 'ended'),
      expected: { kind: 'refused', code: 'PDX_RELATIONSHIP_NOT_OFFERED', pointer: undefined },
    },
    {
      given: 'no link',
      current: undefined,
      expected: { kind: 'refused', code: 'PDX_RELATIONSHIP_NOT_OFFERED', pointer: undefined },
    },
  ])('$given', ({ current, expected }) => {
    expect(summary(decideAccept(current, undefined, context))).toMatchObject(expected);
  });

  it('keeps the record fields out of the next link', () => {
    const decision = decideAccept(offered(scope, 'offered'), undefined, context);
    expect(decision.kind === 'change' && Object.keys(decision.next)).not.toContain('version');
  });
});

describe('decideEnd', () => {
  const by = (who: string, operator = false) => ({ by: who, operator, id: 'globex~acme' });
  const ended = (endedBy: string) => ({
    kind: 'change',
    events: [
      {
        type: 'org.pdx.relationship.ended.v1',
        id: deterministicEventId('relationship', 'globex~acme', '2', 'ended'),
        subject: 'acme',
        data: { relationshipId: 'globex~acme', buyerId: 'globex', partnerId: 'acme', endedAt: now, endedBy },
      },
    ],
    next: { state: 'ended', endedAt: now, endedBy },
  });
  it.each([
    {
      given: 'the buyer ends an accepted link',
      current: offered(scope, 'accepted'),
      input: by('globex'),
      expected: ended('globex'),
    },
    {
      given: 'the partner declines an offer',
      current: offered(scope, 'offered'),
      input: by('acme'),
      expected: ended('acme'),
    },
    {
      given: 'an operator ends it',
      current: offered(scope, 'accepted'),
      input: by('ops', true),
      expected: ended('ops'),
    },
    {
      given: 'it is ended again',
      current: offered(scope, 'ended'),
      input: by('globex'),
      expected: { kind: 'unchanged' },
    },
    {
      given: 'a party not in the link asks',
      current: offered(scope, 'accepted'),
      input: by('initech'),
      expected: { kind: 'refused', code: 'PDX_RELATIONSHIP_NOT_FOUND', pointer: undefined },
    },
    {
      given: 'there is no link',
      current: undefined,
      input: by('globex'),
      expected: { kind: 'refused', code: 'PDX_RELATIONSHIP_NOT_FOUND', pointer: undefined },
    },
  ])('$given', ({ current, input, expected }) => {
    expect(summary(decideEnd(current, input, context))).toMatchObject(expected);
  });
});
