import type { RelationshipOffer } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import type { RelationshipRecord } from './relationship-record.js';
import { decideOffer } from './relationships.js';

const offered = (scopeOfService: RelationshipOffer['scopeOfService'], state: RelationshipRecord['state']) =>
  ({
    id: 'globex~acme',
    buyerId: 'globex',
    partnerId: 'acme',
    scopeOfService,
    state,
    offeredAt: '2026-03-01T00:00:00.000Z',
    version: 1,
    outbox: [],
    pending: false,
  }) as RelationshipRecord;

describe('decideOffer', () => {
  const scope = {
    functions: ['warehouse', 'road-carrier'],
    locations: ['DEHAM', 'NLRTM'],
    routes: [
      { from: 'DEHAM', to: 'NLRTM', mode: 'road' },
      { from: 'NLRTM', to: 'DEHAM' },
    ],
  } as RelationshipOffer['scopeOfService'];

  it('offers a new link, and again one that ended', () => {
    expect(decideOffer(undefined, { partnerId: 'acme', scopeOfService: scope })).toBe('offer');
    expect(decideOffer(offered(scope, 'ended'), { partnerId: 'acme', scopeOfService: scope })).toBe('offer');
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
      expect(decideOffer(offered(scope, state), { partnerId: 'acme', scopeOfService: scope })).toBe('repeat');
      expect(decideOffer(offered(scope, state), { partnerId: 'acme', scopeOfService: reordered })).toBe(
        'repeat',
      );
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
      expect(decideOffer(accepted, { partnerId: 'acme', scopeOfService: other })).toBe('offer');
    }
  });
});
