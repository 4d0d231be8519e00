import { createHash } from 'node:crypto';
import type { EventPublisher } from '@pdx/bus';
import {
  contentHash,
  createEvent,
  type PartyRegistration,
  PdxError,
  type SchemaRegistry,
} from '@pdx/contracts';
import { type Clock, isoNow, type Logger } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { PartyRecord } from './party-record.js';

export interface RegisterPartyDeps {
  parties: Collection<PartyRecord>;
  bus: EventPublisher;
  registry: SchemaRegistry;
  clock: Clock;
  logger: Logger;
  source: string;
}

export type RegisterOutcome =
  | { kind: 'created'; record: PartyRecord }
  | { kind: 'unchanged'; record: PartyRecord };

/** The event id is a function of the party and its content: republishing it is a no-op downstream. */
function eventIdFor(partyId: string, hash: string): string {
  const h = createHash('sha256').update(`party.registered.v1\u0000${partyId}\u0000${hash}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Pure decision: given what is stored for the party id, is this registration new, a repeat
 * of the same content (idempotent), or a conflict?
 */
export function decideRegistration(
  existing: PartyRecord | undefined,
  hash: string,
): 'create' | 'repeat' | 'republish' | 'conflict' {
  if (!existing) return 'create';
  if (existing.contentHash !== hash) return 'conflict';
  return existing.published ? 'repeat' : 'republish';
}

async function publish(deps: RegisterPartyDeps, record: PartyRecord): Promise<void> {
  const event = createEvent(deps.registry, {
    type: 'org.pdx.party.registered.v1',
    id: record.eventId,
    subject: record.id,
    source: deps.source,
    time: Date.parse(record.registeredAt),
    data: {
      party: record.registration,
      registeredAt: record.registeredAt,
      registeredBy: record.registeredBy,
      contentHash: record.contentHash,
    },
  });
  await deps.bus.publish([event]);
  await deps.parties.put({ ...record, published: true });
}

/**
 * Registers a party: record it (insert-if-absent on the party id, so two concurrent
 * registrations cannot both win), publish party.registered.v1, mark it published. If the log
 * refuses, the record is removed again and the caller gets 503: nothing half-written stays.
 * A record left unpublished by a crash is published by `recoverUnpublished` on start.
 */
export async function registerParty(
  deps: RegisterPartyDeps,
  registration: PartyRegistration,
  operator: string,
): Promise<RegisterOutcome> {
  const hash = contentHash(registration);
  const existing = await deps.parties.get(registration.partyId);
  switch (decideRegistration(existing, hash)) {
    case 'repeat':
      return { kind: 'unchanged', record: existing! };
    case 'republish':
      await publish(deps, existing!);
      return { kind: 'unchanged', record: { ...existing!, published: true } };
    case 'conflict':
      throw new PdxError(
        'PDX_PARTY_CONFLICT',
        `party ${registration.partyId} is already registered with different content`,
        { pointer: '/partyId' },
      );
    case 'create':
      break;
  }

  const record: PartyRecord = {
    id: registration.partyId,
    registration,
    contentHash: hash,
    registeredAt: isoNow(deps.clock),
    registeredBy: operator,
    eventId: eventIdFor(registration.partyId, hash),
    published: false,
  };
  if ((await deps.parties.insert(record)) === 'exists') {
    // Lost a race with a concurrent registration of the same id: decide against the winner.
    return registerParty(deps, registration, operator);
  }
  try {
    await publish(deps, record);
  } catch (error) {
    // Undo, unless a concurrent identical request has meanwhile published it.
    try {
      const current = await deps.parties.get(record.id);
      if (current && !current.published) await deps.parties.delete(record.id);
    } catch (cleanupError) {
      deps.logger.error(
        { err: cleanupError, partyId: record.id },
        'unpublished record kept; recovery will publish it',
      );
    }
    throw error;
  }
  return { kind: 'created', record: { ...record, published: true } };
}

/** Publishes records a crash left between "recorded" and "acknowledged by the log". */
export async function recoverUnpublished(deps: RegisterPartyDeps): Promise<number> {
  const pending = await deps.parties.find({ published: false });
  for (const record of pending) {
    await publish(deps, record);
    deps.logger.info(
      { partyId: record.id, eventId: record.eventId },
      'published a registration left by a crash',
    );
  }
  return pending.length;
}
