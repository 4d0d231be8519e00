import type { PdxEvent, RelationshipView, ScopeOfService } from '@pdx/contracts';
import type { OutboxRecord } from '@pdx/store';

/** One link per (buyer, partner); its id is `<buyer>~<partner>`. */
export interface RelationshipRecord extends OutboxRecord<PdxEvent> {
  buyerId: string;
  partnerId: string;
  scopeOfService: ScopeOfService;
  state: 'offered' | 'accepted' | 'ended';
  offeredAt: string;
  acceptedAt?: string;
  endedAt?: string;
  endedBy?: string;
}

export const relationshipRecords = {
  name: 'relationships',
  indexes: [{ fields: ['pending'] }, { fields: ['partnerId', 'state'] }],
} as const;

export function toRelationshipView(r: RelationshipRecord): RelationshipView {
  const view: RelationshipView = {
    relationshipId: r.id,
    buyerId: r.buyerId,
    partnerId: r.partnerId,
    scopeOfService: r.scopeOfService,
    state: r.state,
    offeredAt: r.offeredAt,
  };
  if (r.acceptedAt) view.acceptedAt = r.acceptedAt;
  if (r.endedAt) view.endedAt = r.endedAt;
  if (r.endedBy) view.endedBy = r.endedBy;
  return view;
}
