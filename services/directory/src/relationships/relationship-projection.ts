import { assertNever, type EventOnTopic, PdxError, type RelationshipView } from '@pdx/contracts';
import type { Collection } from '@pdx/store';

export type RelationshipEvent = EventOnTopic<'pdx.relationships'>;

export interface RelationshipDoc extends RelationshipView {
  id: string;
}

export const relationshipDocs = {
  name: 'relationships',
  indexes: [{ fields: ['buyerId'] }, { fields: ['partnerId'] }],
} as const;

/** Pure and idempotent: the next state of a link. */
export function evolveRelationship(
  state: RelationshipDoc | undefined,
  event: RelationshipEvent,
): RelationshipDoc {
  switch (event.type) {
    case 'org.pdx.relationship.offered.v1': {
      const { relationshipId, buyerId, partnerId, scopeOfService, offeredAt } = event.data;
      return {
        id: relationshipId,
        relationshipId,
        buyerId,
        partnerId,
        scopeOfService,
        state: 'offered',
        offeredAt,
      };
    }
    case 'org.pdx.relationship.accepted.v1': {
      if (!state)
        throw new PdxError(
          'PDX_RELATIONSHIP_NOT_FOUND',
          `acceptance of unknown link ${event.data.relationshipId}`,
        );
      return { ...state, state: 'accepted', acceptedAt: event.data.acceptedAt };
    }
    case 'org.pdx.relationship.ended.v1': {
      if (!state)
        throw new PdxError('PDX_RELATIONSHIP_NOT_FOUND', `end of unknown link ${event.data.relationshipId}`);
      return { ...state, state: 'ended', endedAt: event.data.endedAt, endedBy: event.data.endedBy };
    }
    default:
      return assertNever(event);
  }
}

export async function applyRelationshipEvent(
  docs: Collection<RelationshipDoc>,
  event: RelationshipEvent,
): Promise<void> {
  await docs.put(evolveRelationship(await docs.get(event.data.relationshipId), event));
}

export function toRelationshipView(doc: RelationshipDoc): RelationshipView {
  const { id: _id, ...view } = doc;
  return view;
}
