import {
  decisionContext,
  PdxError,
  type PdxEvent,
  type RelationshipOffer,
  relationshipId,
} from '@pdx/contracts';
import { type Principal, requireRole, roleRequired } from '@pdx/http';
import { type ChangeOutcome, type Collection, handleChange } from '@pdx/store';
import type { PartyRecord } from '../parties/party-record.js';
import type { IntakeDeps } from '../parties/register-party.js';
import { decideAccept, decideEnd, decideOffer } from './relationship-decisions.js';
import type { RelationshipRecord } from './relationship-record.js';

export interface RelationshipDeps extends IntakeDeps {
  relationships: Collection<RelationshipRecord>;
}

type Outcome = { kind: 'changed' | 'unchanged'; record: RelationshipRecord };

/** A change or a repeat (answered once the original change's events are in the log) as the routes answer it. */
function outcomeOf(outcome: ChangeOutcome<RelationshipRecord, PdxEvent>): Outcome {
  return { kind: outcome.kind, record: outcome.record! };
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
  const what = 'listing business partners';
  const buyerId = requireRole(buyer, what);
  // The registry's roles, not the token's: a role is checked as it stands now.
  const buyerRecord = await party(deps, buyerId, '/buyerId');
  if (!buyerRecord.registration.roles.includes('buyer')) throw roleRequired(what, 'buyer');
  if (offer.partnerId === buyerId) {
    throw new PdxError('PDX_REQUEST_INVALID', 'a buyer cannot list itself as its partner', {
      pointer: '/partnerId',
    });
  }
  await party(deps, offer.partnerId, '/partnerId');
  const context = decisionContext(deps);
  return outcomeOf(
    await handleChange(
      deps,
      deps.relationships,
      relationshipId(buyerId, offer.partnerId),
      (current) => decideOffer(current, { buyerId, offer }, context),
      { repeat: 'publish' },
    ),
  );
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
  const context = decisionContext(deps);
  return outcomeOf(
    await handleChange(deps, deps.relationships, id, (current) => decideAccept(current, undefined, context), {
      repeat: 'publish',
    }),
  );
}

/** Either side ends the link; the buyer loses sight of the partner's details at once. */
export async function endRelationship(
  deps: RelationshipDeps,
  caller: Principal,
  id: string,
): Promise<Outcome> {
  const context = decisionContext(deps);
  const input = { by: caller.id, operator: caller.kind === 'operator', id };
  return outcomeOf(
    await handleChange(deps, deps.relationships, id, (current) => decideEnd(current, input, context), {
      repeat: 'publish',
    }),
  );
}
