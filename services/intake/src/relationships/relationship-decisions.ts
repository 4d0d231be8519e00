import {
  canonicalJson,
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  isoAt,
  PdxError,
  type PdxEvent,
  type RelationshipOffer,
  relationshipId,
} from '@pdx/contracts';
import type { Decision, Unversioned } from '@pdx/store';
import type { RelationshipRecord } from './relationship-record.js';

type Scope = RelationshipOffer['scopeOfService'];
type RelationshipDecision = Decision<RelationshipRecord, PdxEvent>;

/** A scope's lists are sets (functions, locations, routes): the same scope in another order is the same. */
const scopeKey = (scope: Scope): string =>
  canonicalJson({
    functions: [...scope.functions].sort(),
    locations: [...(scope.locations ?? [])].sort(),
    routes: (scope.routes ?? []).map((r) => canonicalJson(r)).sort(),
  });

/** The event that says what the link's new state is; its id names the link, its version and state. */
function eventFor(
  record: Unversioned<RelationshipRecord>,
  version: number,
  context: DecisionContext,
): PdxEvent {
  const common = { relationshipId: record.id, buyerId: record.buyerId, partnerId: record.partnerId };
  const base = {
    id: deterministicEventId('relationship', record.id, String(version), record.state),
    subject: record.partnerId,
  };
  switch (record.state) {
    case 'offered':
      return decidedEvent(context, {
        ...base,
        type: 'org.pdx.relationship.offered.v1',
        data: { ...common, scopeOfService: record.scopeOfService, offeredAt: record.offeredAt },
      });
    case 'accepted':
      return decidedEvent(context, {
        ...base,
        type: 'org.pdx.relationship.accepted.v1',
        data: { ...common, acceptedAt: record.acceptedAt! },
      });
    case 'ended':
      return decidedEvent(context, {
        ...base,
        type: 'org.pdx.relationship.ended.v1',
        data: { ...common, endedAt: record.endedAt!, endedBy: record.endedBy! },
      });
  }
}

function changeTo(
  current: RelationshipRecord | undefined,
  next: Unversioned<RelationshipRecord>,
  context: DecisionContext,
): RelationshipDecision {
  return { kind: 'change', next, events: [eventFor(next, (current?.version ?? 0) + 1, context)] };
}

/** Link fields only: what a change carries over from the record as read. */
function linkOf(record: RelationshipRecord): Unversioned<RelationshipRecord> {
  const { version: _v, outbox: _o, pending: _p, claimedUntilMs: _c, ...link } = record;
  return link;
}

export interface OfferInput {
  buyerId: string;
  offer: RelationshipOffer;
}

/**
 * What an offer does to a link. A new or ended link becomes offered; the same scope again (in
 * any order) changes nothing, so a buyer can send its list again safely; a different scope is
 * a new offer the partner must accept again (consent covers a scope of service, not a blank
 * cheque).
 */
export function decideOffer(
  current: RelationshipRecord | undefined,
  input: OfferInput,
  context: DecisionContext,
): RelationshipDecision {
  const { buyerId, offer } = input;
  if (
    current &&
    current.state !== 'ended' &&
    scopeKey(current.scopeOfService) === scopeKey(offer.scopeOfService)
  ) {
    return { kind: 'unchanged' };
  }
  return changeTo(
    current,
    {
      id: relationshipId(buyerId, offer.partnerId),
      buyerId,
      partnerId: offer.partnerId,
      scopeOfService: offer.scopeOfService,
      state: 'offered',
      offeredAt: isoAt(context),
    },
    context,
  );
}

/** Accepting is only possible for an offered link; accepting it again changes nothing. */
export function decideAccept(
  current: RelationshipRecord | undefined,
  _input: undefined,
  context: DecisionContext,
): RelationshipDecision {
  if (current?.state === 'accepted') return { kind: 'unchanged' };
  if (current?.state !== 'offered') {
    return {
      kind: 'refused',
      error: new PdxError(
        'PDX_RELATIONSHIP_NOT_OFFERED',
        current
          ? `the link ${current.id} has ended; the buyer must offer it again`
          : 'this link was never offered',
      ),
    };
  }
  return changeTo(current, { ...linkOf(current), state: 'accepted', acceptedAt: isoAt(context) }, context);
}

export interface EndInput {
  /** Who ends it: its buyer, its partner, or an operator. */
  by: string;
  operator: boolean;
  /** The link's id as asked for: a link the caller is not part of is not found. */
  id: string;
}

/** Either side (or an operator) ends the link; ending it again changes nothing. */
export function decideEnd(
  current: RelationshipRecord | undefined,
  input: EndInput,
  context: DecisionContext,
): RelationshipDecision {
  const mine = current && (input.operator || input.by === current.buyerId || input.by === current.partnerId);
  if (!current || !mine) {
    return {
      kind: 'refused',
      error: new PdxError('PDX_RELATIONSHIP_NOT_FOUND', `no relationship ${input.id}`),
    };
  }
  if (current.state === 'ended') return { kind: 'unchanged' };
  return changeTo(
    current,
    { ...linkOf(current), state: 'ended', endedAt: isoAt(context), endedBy: input.by },
    context,
  );
}
