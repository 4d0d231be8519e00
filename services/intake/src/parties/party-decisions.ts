import {
  canonicalJson,
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  isoAt,
  keysAtRegistration,
  type PartyRegistration,
  PdxError,
  type PdxEvent,
  type Violation,
} from '@pdx/contracts';
import type { Decision } from '@pdx/store';
import type { PartyRecord } from './party-record.js';

/**
 * The top-level fields of a registration that differ from the registered one, each with what
 * is registered, so an operator sees at once what a conflicting request changes (only
 * operators register parties, and they may read every registration); keys change through
 * rotation, not by registering again.
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

export interface PartyRegistrationInput {
  registration: PartyRegistration;
  /** The registration's content hash: what tells a repeat from a conflict. */
  contentHash: string;
  /** The operator who registers it. */
  operator: string;
}

/**
 * Registering a party: new → registered, with party.registered.v1; the same content again →
 * unchanged (idempotent); other content under a registered id → PDX_PARTY_CONFLICT naming
 * every field that differs.
 */
export function decideRegistration(
  existing: PartyRecord | undefined,
  input: PartyRegistrationInput,
  context: DecisionContext,
): Decision<PartyRecord, PdxEvent> {
  const { registration, contentHash, operator } = input;
  if (existing) {
    if (existing.contentHash === contentHash) return { kind: 'unchanged' };
    const differences = registrationDifferences(existing.registration, registration);
    const fields = differences.map((d) => d.pointer.slice(1));
    return {
      kind: 'refused',
      error: new PdxError(
        'PDX_PARTY_CONFLICT',
        `party ${registration.partyId} is already registered with different content: ${
          fields.length > 0
            ? `${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'}`
            : 'its content differs'
        }; sending the registered content again changes nothing`,
        // The pointer is the id that is taken; `errors` names each field that differs.
        { pointer: '/partyId', violations: differences },
      ),
    };
  }
  const registeredAt = isoAt(context);
  const event = decidedEvent(context, {
    type: 'org.pdx.party.registered.v1',
    id: deterministicEventId('party.registered.v1', registration.partyId, contentHash),
    subject: registration.partyId,
    data: { party: registration, registeredAt, registeredBy: operator, contentHash },
  });
  return {
    kind: 'change',
    next: {
      id: registration.partyId,
      registration,
      contentHash,
      registeredAt,
      registeredBy: operator,
      keys: keysAtRegistration(registration, registeredAt),
    },
    events: [event],
  };
}
