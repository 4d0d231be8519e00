import {
  canonicalJson,
  createEvent,
  deterministicEventId,
  type KeyRevocation,
  type KeyState,
  PdxError,
  type PdxEvent,
  type PublicJwk,
} from '@pdx/contracts';
import { isoNow } from '@pdx/runtime';
import { commitChange, publishOutbox } from '@pdx/store';
import type { PartyRecord } from '../parties/party-record.js';
import type { IntakeDeps } from '../parties/register-party.js';

export function samePublicKey(a: PublicJwk, b: PublicJwk): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Pure: adding a key. Same kid with the same key is a repeat; with another key, a conflict. */
export function decideAddKey(record: PartyRecord, jwk: PublicJwk): 'add' | 'repeat' {
  const existing = record.keys.find((k) => k.jwk.kid === jwk.kid);
  if (!existing) return 'add';
  if (samePublicKey(existing.jwk, jwk)) return 'repeat';
  throw new PdxError('PDX_KEY_CONFLICT', `party ${record.id} already has a different key "${jwk.kid}"`, {
    pointer: '/kid',
  });
}

/**
 * Pure: revoking a key. A first revocation revokes; the same again is a repeat; an earlier
 * effective time replaces a later one (a compromise found after a planned retirement, or a
 * thief "revoking" a stolen key far in the future to keep it alive), a later one is refused.
 */
export function decideRevokeKey(
  record: PartyRecord,
  kid: string,
  revokedFrom: string,
  reason: string,
): 'revoke' | 'repeat' {
  const key = record.keys.find((k) => k.jwk.kid === kid);
  if (!key)
    throw new PdxError('PDX_KEY_NOT_FOUND', `party ${record.id} has no key "${kid}"`, { pointer: '/kid' });
  if (key.revokedFrom === undefined) return 'revoke';
  const current = Date.parse(key.revokedFrom);
  const requested = Date.parse(revokedFrom);
  if (requested < current) return 'revoke';
  if (requested === current && key.revocationReason === reason) return 'repeat';
  throw new PdxError(
    'PDX_KEY_ALREADY_REVOKED',
    `key "${kid}" is already revoked from ${key.revokedFrom} (${key.revocationReason}); a revocation can only move earlier`,
    { pointer: '/revokedFrom' },
  );
}

async function load(deps: IntakeDeps, partyId: string): Promise<PartyRecord> {
  const record = await deps.parties.get(partyId);
  if (!record) throw new PdxError('PDX_PARTY_NOT_FOUND', `no party ${partyId}`, { pointer: '/partyId' });
  return record;
}

/** Adds a signing key (rotation: the old ones stay valid until revoked). */
export async function addKey(
  deps: IntakeDeps,
  partyId: string,
  jwk: PublicJwk,
  actor: string,
): Promise<{ kind: 'added' | 'unchanged'; key: KeyState }> {
  for (;;) {
    const record = await load(deps, partyId);
    if (decideAddKey(record, jwk) === 'repeat') {
      await publishOutbox(deps, deps.parties, record);
      return { kind: 'unchanged', key: record.keys.find((k) => k.jwk.kid === jwk.kid)! };
    }
    const key: KeyState = { jwk, addedAt: isoNow(deps.clock) };
    const event: PdxEvent = createEvent(deps.registry, {
      type: 'org.pdx.party.key-added.v1',
      id: deterministicEventId('party.key-added.v1', partyId, canonicalJson(jwk)),
      subject: partyId,
      source: deps.source,
      time: deps.clock.now(),
      data: { partyId, key, addedBy: actor },
    });
    const after = { ...record, keys: [...record.keys, key] };
    if ((await commitChange(deps, deps.parties, record, after, [event])) === 'committed')
      return { kind: 'added', key };
  }
}

/** Revokes a key from an effective time (default now). */
export async function revokeKey(
  deps: IntakeDeps,
  partyId: string,
  kid: string,
  body: KeyRevocation,
  actor: string,
): Promise<{ kind: 'revoked' | 'unchanged'; key: KeyState }> {
  const revokedAt = isoNow(deps.clock);
  const revokedFrom = new Date(body.revokedFrom ?? revokedAt).toISOString();
  for (;;) {
    const record = await load(deps, partyId);
    if (decideRevokeKey(record, kid, revokedFrom, body.reason) === 'repeat') {
      await publishOutbox(deps, deps.parties, record);
      return { kind: 'unchanged', key: record.keys.find((k) => k.jwk.kid === kid)! };
    }
    const keys = record.keys.map((k) =>
      k.jwk.kid === kid ? { ...k, revokedFrom, revokedAt, revocationReason: body.reason } : k,
    );
    const event = createEvent(deps.registry, {
      type: 'org.pdx.party.key-revoked.v1',
      id: deterministicEventId('party.key-revoked.v1', partyId, kid, revokedFrom, body.reason),
      subject: partyId,
      source: deps.source,
      time: deps.clock.now(),
      data: { partyId, kid, revokedFrom, revokedAt, reason: body.reason, revokedBy: actor },
    });
    if ((await commitChange(deps, deps.parties, record, { ...record, keys }, [event])) === 'committed') {
      return { kind: 'revoked', key: keys.find((k) => k.jwk.kid === kid)! };
    }
  }
}
