import type { EventPublisher } from '@pdx/bus';
import {
  contentHash,
  createEvent,
  deterministicEventId,
  type PartyRegistration,
  PdxError,
  type SchemaRegistry,
} from '@pdx/contracts';
import { type Clock, isoNow, type Logger } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import { commitChange, publishOutbox } from '@pdx/store';
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

/** Pure decision: new, an identical repeat (idempotent), or a conflict. */
export function decideRegistration(
  existing: PartyRecord | undefined,
  hash: string,
): 'create' | 'repeat' | 'conflict' {
  if (!existing) return 'create';
  return existing.contentHash === hash ? 'repeat' : 'conflict';
}

/**
 * Registers a party: insert-if-absent on the party id, so of two concurrent registrations
 * one wins, with party.registered.v1 through the outbox (see commitChange).
 */
export async function registerParty(
  deps: IntakeDeps,
  registration: PartyRegistration,
  operator: string,
): Promise<RegisterOutcome> {
  const hash = contentHash(registration);
  for (;;) {
    const existing = await deps.parties.get(registration.partyId);
    const decision = decideRegistration(existing, hash);
    if (decision === 'repeat') {
      // Answer only once its event is in the log (it may still be pending after a 503).
      await publishOutbox(deps, deps.parties, existing!);
      return { kind: 'unchanged', record: existing! };
    }
    if (decision === 'conflict') {
      throw new PdxError(
        'PDX_PARTY_CONFLICT',
        `party ${registration.partyId} is already registered with different content`,
        {
          pointer: '/partyId',
        },
      );
    }
    const registeredAt = isoNow(deps.clock);
    const after = {
      id: registration.partyId,
      registration,
      contentHash: hash,
      registeredAt,
      registeredBy: operator,
      keys: registration.jwks.keys.map((jwk) => ({ jwk, addedAt: registeredAt })),
    };
    const event = createEvent(deps.registry, {
      type: 'org.pdx.party.registered.v1',
      id: deterministicEventId('party.registered.v1', registration.partyId, hash),
      subject: registration.partyId,
      source: deps.source,
      time: deps.clock.now(),
      data: { party: registration, registeredAt, registeredBy: operator, contentHash: hash },
    });
    if ((await commitChange(deps, deps.parties, undefined, after, [event])) === 'committed') {
      return { kind: 'created', record: { ...after, version: 1, outbox: [], pending: false } };
    }
  }
}
