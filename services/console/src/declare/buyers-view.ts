import type { Schemas } from '../api.js';

export type Relationship = Schemas['RelationshipView'];

/** Offers first, then links, then ended ones; by buyer within each. */
export function sortBuyers(list: readonly Relationship[]): Relationship[] {
  const rank = { offered: 0, accepted: 1, ended: 2 } as const;
  return [...list].sort((a, b) => rank[a.state] - rank[b.state] || a.buyerId.localeCompare(b.buyerId));
}

/** When a link came to its state: offered, accepted or ended. */
export const sinceOf = (r: Relationship): string | undefined =>
  r.state === 'ended' ? r.endedAt : r.state === 'accepted' ? r.acceptedAt : r.offeredAt;
