import { assertNever, type EventOnTopic, type RelationshipView } from '@pdx/contracts';
import type { ServiceFunction } from '@pdx/schemes';
import type { Collection, CollectionSpec, IndexSpec } from '@pdx/store';
import { readModelCollection } from './collection-spec.js';
import { seenBefore } from './early-events.js';

/**
 * A service's copy of a business relationship (a link): the buyer, the partner, the scope of
 * service the buyer listed (ISO 28001 3.17) and the consent state.
 */
export interface LinkDoc extends RelationshipView {
  /** The relationship id, `<buyer>~<partner>`. */
  id: string;
}

export type LinkEvent = EventOnTopic<'pdx.relationships'>;

/**
 * The collection of a service's link copy. Every user asks for the buyers linked to a
 * partner (`partnerId`, `state`); a service adds the indexes of its own queries.
 */
export function linkCollection(
  options: { name?: string; indexes?: readonly IndexSpec[] } = {},
): CollectionSpec {
  return readModelCollection(options.name ?? 'links', [{ fields: ['partnerId', 'state'] }], options.indexes);
}

/**
 * Pure: a link after one of its events. An offer (a first one, or a new one after the link
 * ended) starts the link afresh with its scope; acceptance and end move its state.
 *
 * An acceptance or end of a link this copy has not seen offered is refused with
 * PDX_RELATIONSHIP_NOT_FOUND (see seenBefore): a link without its scope would be evaluated
 * against no functions at all.
 */
export function evolveLink(current: LinkDoc | undefined, event: LinkEvent): LinkDoc {
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
    case 'org.pdx.relationship.accepted.v1':
      return {
        ...seenBefore(current, event, 'PDX_RELATIONSHIP_NOT_FOUND', `link ${event.data.relationshipId}`),
        state: 'accepted',
        acceptedAt: event.data.acceptedAt,
      };
    case 'org.pdx.relationship.ended.v1':
      return {
        ...seenBefore(current, event, 'PDX_RELATIONSHIP_NOT_FOUND', `link ${event.data.relationshipId}`),
        state: 'ended',
        endedAt: event.data.endedAt,
        endedBy: event.data.endedBy,
      };
    default:
      return assertNever(event);
  }
}

/** Reads, evolves and writes one link event; idempotent. Run it under applyOnce. */
export async function applyLinkEvent(links: Collection<LinkDoc>, event: LinkEvent): Promise<void> {
  await links.put(evolveLink(await links.get(event.data.relationshipId), event));
}

/**
 * The functions and locations of a link's scope of service. A link stored by the review
 * service before the copies were one kept them as top-level fields; it is read the same.
 */
export function linkScope(link: LinkDoc): { functions: ServiceFunction[]; locations: string[] } {
  const earlier = link as Partial<LinkDoc> & { functions?: ServiceFunction[]; locations?: string[] };
  const scope = earlier.scopeOfService;
  if (scope) return { functions: [...scope.functions], locations: [...(scope.locations ?? [])] };
  return { functions: [...(earlier.functions ?? [])], locations: [...(earlier.locations ?? [])] };
}
