import type { EventPublisher } from '@pdx/bus';
import { contentHash, decisionContext, type PartyRegistration, type SchemaRegistry } from '@pdx/contracts';
import type { Clock, Logger } from '@pdx/runtime';
import { type Collection, handleChange } from '@pdx/store';
import { decideRegistration } from './party-decisions.js';
import type { PartyRecord } from './party-record.js';

export interface IntakeDeps {
  parties: Collection<PartyRecord>;
  bus: EventPublisher;
  registry: SchemaRegistry;
  clock: Clock;
  logger: Logger;
  source: string;
  /** How long a request waits for the log before answering 503 (see OutboxDeps). */
  publishTimeoutMs?: number;
  /** How long the writer of a change keeps its outbox claimed from the flusher (see OutboxDeps). */
  outboxLeaseMs?: number;
}

export type RegisterOutcome = { kind: 'created' | 'unchanged'; record: PartyRecord };

/**
 * Registers a party: insert-if-absent on the party id, so of two concurrent registrations
 * one wins, with party.registered.v1 through the outbox (see handleChange).
 */
export async function registerParty(
  deps: IntakeDeps,
  registration: PartyRegistration,
  operator: string,
): Promise<RegisterOutcome> {
  const context = decisionContext(deps);
  const input = { registration, contentHash: contentHash(registration), operator };
  const outcome = await handleChange(
    deps,
    deps.parties,
    registration.partyId,
    (existing) => decideRegistration(existing, input, context),
    // A repeat is answered only once its event is in the log (it may still be pending after a 503).
    { repeat: 'publish' },
  );
  return { kind: outcome.kind === 'changed' ? 'created' : 'unchanged', record: outcome.record! };
}
