import { describe, expect, it } from 'vitest';
import { type Relationship, sinceOf, sortBuyers } from './buyers-view.js';

const link = (buyerId: string, state: Relationship['state']): Relationship => ({
  relationshipId: `${buyerId}~acme`,
  buyerId,
  partnerId: 'acme',
  state,
  scopeOfService: { functions: ['warehouse'] } as Relationship['scopeOfService'],
  offeredAt: '2026-01-01T00:00:00Z',
  ...(state !== 'offered' ? { acceptedAt: '2026-01-02T00:00:00Z' } : {}),
  ...(state === 'ended' ? { endedAt: '2026-01-03T00:00:00Z', endedBy: buyerId } : {}),
});

describe('the partner’s buyers', () => {
  it('lists offers to answer first, then links, then ended ones, by buyer', () => {
    const sorted = sortBuyers([
      link('zeta', 'accepted'),
      link('beta', 'ended'),
      link('gamma', 'offered'),
      link('alpha', 'accepted'),
    ]);
    expect(sorted.map((r) => `${r.buyerId} ${r.state}`)).toEqual([
      'gamma offered',
      'alpha accepted',
      'zeta accepted',
      'beta ended',
    ]);
  });

  it('dates each link by the change that brought it to its state', () => {
    expect(sinceOf(link('a', 'offered'))).toBe('2026-01-01T00:00:00Z');
    expect(sinceOf(link('a', 'accepted'))).toBe('2026-01-02T00:00:00Z');
    expect(sinceOf(link('a', 'ended'))).toBe('2026-01-03T00:00:00Z');
  });
});
