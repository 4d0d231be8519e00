import { assertNever, type PartyView, type PdxEvent } from '@pdx/contracts';
import type { Collection } from '@pdx/store';

/** The status service's copy of a party, as built from events. */
export interface PartyDoc extends PartyView {
  id: string;
  /** Id of the event that produced this state; replays of it change nothing. */
  sourceEventId: string;
}

/** Event ids this service has applied; the unique id makes a second application visible. */
export interface AppliedEvent {
  id: string;
  type: string;
  subject: string;
  appliedAt: string;
}

export const partyDocs = { name: 'parties', indexes: [{ fields: ['country'] }] } as const;
export const appliedEvents = { name: 'applied_events', indexes: [{ fields: ['subject'] }] } as const;

/** Pure: the next state of a party after an event. */
export function evolve(_state: PartyDoc | undefined, event: PdxEvent): PartyDoc {
  switch (event.type) {
    case 'org.pdx.party.registered.v1': {
      const { party, registeredAt, contentHash } = event.data;
      return {
        id: party.partyId,
        partyId: party.partyId,
        legalName: party.legalName,
        country: party.country,
        identifiers: party.identifiers ?? [],
        roles: party.roles,
        jwks: party.jwks,
        registeredAt,
        contentHash,
        sourceEventId: event.id,
      };
    }
    default:
      return assertNever(event.type);
  }
}

/**
 * Applies an event at most once in effect. Without multi-document transactions (FerretDB
 * has none), the order is: skip if already applied; write the new state (idempotent: the
 * same event always yields the same document); then record the event id. A crash between
 * the last two only means the same write is repeated on redelivery.
 */
export async function applyEvent(
  parties: Collection<PartyDoc>,
  applied: Collection<AppliedEvent>,
  event: PdxEvent,
  now: string,
): Promise<'applied' | 'duplicate'> {
  if (await applied.get(event.id)) return 'duplicate';
  const current = await parties.get(event.subject);
  await parties.put(evolve(current, event));
  const inserted = await applied.insert({
    id: event.id,
    type: event.type,
    subject: event.subject,
    appliedAt: now,
  });
  return inserted === 'inserted' ? 'applied' : 'duplicate';
}

export function toView(doc: PartyDoc): PartyView {
  const { id: _id, sourceEventId: _e, ...view } = doc;
  return view;
}
