import {
  canonicalJson,
  createEvent,
  deterministicEventId,
  type KeyRevocation,
  type KeyState,
  keyStateOf,
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

/**
 * Pure: adding a key. Same kid with the same key and purposes is a repeat; with another key, a
 * conflict; with the same key and other purposes, a conflict too: a key's purposes never change
 * (what it signed stays judged by them), so a sign-in key becomes a signing key only as a new key.
 */
export function decideAddKey(record: PartyRecord, key: Pick<KeyState, 'jwk' | 'purposes'>): 'add' | 'repeat' {
  const { jwk } = key;
  const existing = record.keys.find((k) => k.jwk.kid === jwk.kid);
  if (!existing) return 'add';
  if (!samePublicKey(existing.jwk, jwk)) {
    throw new PdxError('PDX_KEY_CONFLICT', `party ${record.id} already has a different key "${jwk.kid}"`, {
      pointer: '/kid',
    });
  }
  const purposes = (k: Pick<KeyState, 'purposes'>) =>
    canonicalJson([...(k.purposes ?? ['authentication', 'signing'])].sort());
  if (purposes(existing) === purposes(key)) return 'repeat';
  throw new PdxError(
    'PDX_KEY_CONFLICT',
    `key "${jwk.kid}" of party ${record.id} is registered for ${existing.purposes?.join(', ') ?? 'authentication, signing'}; a key's purposes do not change: add a new key with another kid`,
    { pointer: '/purposes' },
  );
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

/**
 * Adds a key (rotation: the old ones stay valid until revoked), with the purposes its JWK's
 * `purposes` member states (absent: both).
 */
export async function addKey(
  deps: IntakeDeps,
  partyId: string,
  jwk: PublicJwk,
  actor: string,
): Promise<{ kind: 'added' | 'unchanged'; key: KeyState }> {
  for (;;) {
    const record = await load(deps, partyId);
    const key: KeyState = keyStateOf(jwk, isoNow(deps.clock));
    if (decideAddKey(record, key) === 'repeat') {
      await publishOutbox(deps, deps.parties, record);
      return { kind: 'unchanged', key: record.keys.find((k) => k.jwk.kid === jwk.kid)! };
    }
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
