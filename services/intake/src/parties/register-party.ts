import type { EventPublisher } from '@pdx/bus';
import {
  canonicalJson,
  contentHash,
  createEvent,
  deterministicEventId,
  keysAtRegistration,
  type PartyRegistration,
  PdxError,
  type SchemaRegistry,
  type Violation,
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
 * Pure: the top-level fields of a registration that differ from the registered one, each
 * with what is registered, so an operator sees at once what a conflicting request changes
 * (only operators register parties, and they may read every registration); keys change
 * through rotation, not by registering again.
 */
export function registrationDifferences(
  registered: PartyRegistration,
  requested: PartyRegistration,
): Violation[] {
  const value = (r: PartyRegistration, f: string) => (r as unknown as Record<string, unknown>)[f];
  const shown = (v: unknown) => {
    if (v === undefined) return 'nothing';
    const json = JSON.stringify(v);
    return json.length <= 200 ? json : 'another value';
  };
  const fields = [...new Set([...Object.keys(registered), ...Object.keys(requested)])].sort();
  return fields
    .filter((f) => canonicalJson(value(registered, f) ?? null) !== canonicalJson(value(requested, f) ?? null))
    .map((f) => ({
      pointer: `/${f}`,
      detail:
        f === 'jwks'
          ? 'jwks differs from the keys registered: add or revoke keys with POST /v1/parties/{partyId}/keys'
          : `${f} is registered as ${shown(value(registered, f))}, this request has ${shown(value(requested, f))}`,
    }));
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
      const differences = registrationDifferences(existing!.registration, registration);
      const fields = differences.map((d) => d.pointer.slice(1));
      throw new PdxError(
        'PDX_PARTY_CONFLICT',
        `party ${registration.partyId} is already registered with different content: ${
          fields.length > 0
            ? `${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'}`
            : 'its content differs'
        }; sending the registered content again changes nothing`,
        // The pointer is the id that is taken; `errors` names each field that differs.
        { pointer: '/partyId', violations: differences },
      );
    }
    const registeredAt = isoNow(deps.clock);
    const after = {
      id: registration.partyId,
      registration,
      contentHash: hash,
      registeredAt,
      registeredBy: operator,
      keys: keysAtRegistration(registration, registeredAt),
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
