import {
  canonicalJson,
  createEvent,
  deterministicEventId,
  PdxError,
  type PdxEvent,
  type RelationshipOffer,
  relationshipId,
} from '@pdx/contracts';
import type { Principal } from '@pdx/http';
import { isoNow } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import { commitChange, publishOutbox } from '@pdx/store';
import type { PartyRecord } from '../parties/party-record.js';
import type { IntakeDeps } from '../parties/register-party.js';
import type { RelationshipRecord } from './relationship-record.js';

export interface RelationshipDeps extends IntakeDeps {
  relationships: Collection<RelationshipRecord>;
}

type Outcome = { kind: 'changed' | 'unchanged'; record: RelationshipRecord };

type Scope = RelationshipOffer['scopeOfService'];

/** A scope's lists are sets (functions, locations, routes): the same scope in another order is the same. */
const scopeKey = (scope: Scope): string =>
  canonicalJson({
    functions: [...scope.functions].sort(),
    locations: [...(scope.locations ?? [])].sort(),
    routes: (scope.routes ?? []).map((r) => canonicalJson(r)).sort(),
  });

/**
 * Pure: what an offer does to a link. A new or ended link becomes offered; the same scope
 * again (in any order) changes nothing, so a buyer can send its list again safely; a
 * different scope is a new offer the partner must accept again (consent covers a scope of
 * service, not a blank cheque).
 */
export function decideOffer(
  current: RelationshipRecord | undefined,
  offer: RelationshipOffer,
): 'offer' | 'repeat' {
  if (!current || current.state === 'ended') return 'offer';
  return scopeKey(current.scopeOfService) === scopeKey(offer.scopeOfService) ? 'repeat' : 'offer';
}

/** Pure: accepting is only possible for an offered link. */
export function decideAccept(current: RelationshipRecord | undefined): 'accept' | 'repeat' {
  if (current?.state === 'offered') return 'accept';
  if (current?.state === 'accepted') return 'repeat';
  throw new PdxError(
    'PDX_RELATIONSHIP_NOT_OFFERED',
    current
      ? `the link ${current.id} has ended; the buyer must offer it again`
      : 'this link was never offered',
  );
}

function eventFor(deps: IntakeDeps, record: RelationshipRecord, version: number): PdxEvent {
  const common = { relationshipId: record.id, buyerId: record.buyerId, partnerId: record.partnerId };
  const base = {
    id: deterministicEventId('relationship', record.id, String(version), record.state),
    subject: record.partnerId,
    source: deps.source,
    time: deps.clock.now(),
  };
  switch (record.state) {
    case 'offered':
      return createEvent(deps.registry, {
        ...base,
        type: 'org.pdx.relationship.offered.v1',
        data: { ...common, scopeOfService: record.scopeOfService, offeredAt: record.offeredAt },
      });
    case 'accepted':
      return createEvent(deps.registry, {
        ...base,
        type: 'org.pdx.relationship.accepted.v1',
        data: { ...common, acceptedAt: record.acceptedAt! },
      });
    case 'ended':
      return createEvent(deps.registry, {
        ...base,
        type: 'org.pdx.relationship.ended.v1',
        data: { ...common, endedAt: record.endedAt!, endedBy: record.endedBy! },
      });
  }
}

async function commit(
  deps: RelationshipDeps,
  before: RelationshipRecord | undefined,
  after: Omit<RelationshipRecord, 'version' | 'outbox' | 'pending'>,
): Promise<Outcome | undefined> {
  const version = (before?.version ?? 0) + 1;
  const full = { ...after, version, outbox: [], pending: false } as RelationshipRecord;
  const result = await commitChange(deps, deps.relationships, before, after, [eventFor(deps, full, version)]);
  return result === 'committed' ? { kind: 'changed', record: full } : undefined;
}

/** A repeat is answered once the original change's events are in the log. */
async function unchanged(deps: RelationshipDeps, record: RelationshipRecord): Promise<Outcome> {
  await publishOutbox(deps, deps.relationships, record);
  return { kind: 'unchanged', record };
}

async function party(deps: IntakeDeps, id: string, pointer: string): Promise<PartyRecord> {
  const record = await deps.parties.get(id);
  if (!record) throw new PdxError('PDX_PARTY_NOT_FOUND', `no party ${id}`, { pointer });
  return record;
}

/** A buyer lists a party as its business partner (ISO 28001 4.1: the partners in scope). */
export async function offerRelationship(
  deps: RelationshipDeps,
  buyer: Principal,
  offer: RelationshipOffer,
): Promise<Outcome> {
  if (buyer.kind !== 'party') throw new PdxError('PDX_ROLE_REQUIRED', 'only a buyer lists business partners');
  const buyerRecord = await party(deps, buyer.id, '/buyerId');
  if (!buyerRecord.registration.roles.includes('buyer')) {
    throw new PdxError('PDX_ROLE_REQUIRED', `${buyer.id} is not registered with the role buyer`);
  }
  if (offer.partnerId === buyer.id) {
    throw new PdxError('PDX_REQUEST_INVALID', 'a buyer cannot list itself as its partner', {
      pointer: '/partnerId',
    });
  }
  await party(deps, offer.partnerId, '/partnerId');
  const id = relationshipId(buyer.id, offer.partnerId);
  for (;;) {
    const current = await deps.relationships.get(id);
    if (decideOffer(current, offer) === 'repeat') return unchanged(deps, current!);
    const outcome = await commit(deps, current, {
      id,
      buyerId: buyer.id,
      partnerId: offer.partnerId,
      scopeOfService: offer.scopeOfService,
      state: 'offered',
      offeredAt: isoNow(deps.clock),
    });
    if (outcome) return outcome;
  }
}

async function involved(
  deps: RelationshipDeps,
  caller: Principal,
  id: string,
): Promise<RelationshipRecord | undefined> {
  const current = await deps.relationships.get(id);
  if (!current) return undefined;
  const mine = caller.kind === 'operator' || caller.id === current.buyerId || caller.id === current.partnerId;
  return mine ? current : undefined;
}

/** The partner consents; only then does the buyer see its declarations. */
export async function acceptRelationship(
  deps: RelationshipDeps,
  caller: Principal,
  id: string,
): Promise<Outcome> {
  const [buyerId, partnerId] = id.split('~') as [string, string];
  if (caller.id !== partnerId) {
    // The buyer cannot consent for its partner; anyone else learns nothing about the link.
    if (caller.id === buyerId) throw new PdxError('PDX_FORBIDDEN', `only ${partnerId} can accept this link`);
    throw new PdxError('PDX_RELATIONSHIP_NOT_FOUND', `no relationship ${id}`);
  }
  for (;;) {
    const current = await deps.relationships.get(id);
    if (decideAccept(current) === 'repeat') return unchanged(deps, current!);
    const outcome = await commit(deps, current!, {
      ...current!,
      state: 'accepted',
      acceptedAt: isoNow(deps.clock),
    });
    if (outcome) return outcome;
  }
}

/** Either side ends the link; the buyer loses sight of the partner's details at once. */
export async function endRelationship(
  deps: RelationshipDeps,
  caller: Principal,
  id: string,
): Promise<Outcome> {
  for (;;) {
    const current = await involved(deps, caller, id);
    if (!current) throw new PdxError('PDX_RELATIONSHIP_NOT_FOUND', `no relationship ${id}`);
    if (current.state === 'ended') return unchanged(deps, current);
    const outcome = await commit(deps, current, {
      ...current,
      state: 'ended',
      endedAt: isoNow(deps.clock),
      endedBy: caller.id,
    });
    if (outcome) return outcome;
  }
}
