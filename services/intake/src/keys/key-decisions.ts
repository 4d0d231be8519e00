import {
  canonicalJson,
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  isoAt,
  type KeyRevocation,
  type KeyState,
  keyStateOf,
  PdxError,
  type PdxEvent,
  type PublicJwk,
} from '@pdx/contracts';
import type { Decision } from '@pdx/store';
import type { PartyRecord } from '../parties/party-record.js';

/** What a key change answers: the key as it now stands. */
export type KeyDecision = Decision<PartyRecord, PdxEvent, KeyState>;

function samePublicKey(a: PublicJwk, b: PublicJwk): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

const partyNotFound = (partyId: string): KeyDecision => ({
  kind: 'refused',
  error: new PdxError('PDX_PARTY_NOT_FOUND', `no party ${partyId}`, { pointer: '/partyId' }),
});

export interface KeyAddition {
  partyId: string;
  /** The JWK as sent; its `purposes` member, when given, says what the key may do (absent: both). */
  jwk: PublicJwk;
  /** Who adds it: the party itself or an operator. */
  actor: string;
}

/**
 * Adding a key (rotation: the old ones stay valid until revoked). Same kid with the same key
 * and purposes is a repeat; with another key, a conflict; with the same key and other
 * purposes, a conflict too: a key's purposes never change (what it signed stays judged by
 * them), so a sign-in key becomes a signing key only as a new key.
 */
export function decideAddKey(
  record: PartyRecord | undefined,
  input: KeyAddition,
  context: DecisionContext,
): KeyDecision {
  const { partyId, jwk, actor } = input;
  if (!record) return partyNotFound(partyId);
  const key: KeyState = keyStateOf(jwk, isoAt(context));
  const existing = record.keys.find((k) => k.jwk.kid === jwk.kid);
  if (existing) {
    if (!samePublicKey(existing.jwk, key.jwk)) {
      return {
        kind: 'refused',
        error: new PdxError(
          'PDX_KEY_CONFLICT',
          `party ${record.id} already has a different key "${jwk.kid}"`,
          {
            pointer: '/kid',
          },
        ),
      };
    }
    const purposes = (k: Pick<KeyState, 'purposes'>) =>
      canonicalJson([...(k.purposes ?? ['authentication', 'signing'])].sort());
    if (purposes(existing) === purposes(key)) return { kind: 'unchanged', value: existing };
    return {
      kind: 'refused',
      error: new PdxError(
        'PDX_KEY_CONFLICT',
        `key "${jwk.kid}" of party ${record.id} is registered for ${existing.purposes?.join(', ') ?? 'authentication, signing'}; a key's purposes do not change: add a new key with another kid`,
        { pointer: '/purposes' },
      ),
    };
  }
  const event = decidedEvent(context, {
    type: 'org.pdx.party.key-added.v1',
    id: deterministicEventId('party.key-added.v1', partyId, canonicalJson(jwk)),
    subject: partyId,
    data: { partyId, key, addedBy: actor },
  });
  return { kind: 'change', next: { ...record, keys: [...record.keys, key] }, events: [event], value: key };
}

export interface KeyRevocationInput {
  partyId: string;
  kid: string;
  /** From when the key is revoked (ISO 8601); absent: the time of the decision. */
  revokedFrom?: string;
  reason: KeyRevocation['reason'];
  actor: string;
}

/**
 * Revoking a key. A first revocation revokes; the same again is a repeat; an earlier
 * effective time replaces a later one (a compromise found after a planned retirement, or a
 * thief "revoking" a stolen key far in the future to keep it alive), a later one is refused.
 */
export function decideRevokeKey(
  record: PartyRecord | undefined,
  input: KeyRevocationInput,
  context: DecisionContext,
): KeyDecision {
  const { partyId, kid, reason, actor } = input;
  if (!record) return partyNotFound(partyId);
  const revokedAt = isoAt(context);
  const revokedFrom = new Date(input.revokedFrom ?? revokedAt).toISOString();
  const key = record.keys.find((k) => k.jwk.kid === kid);
  if (!key) {
    return {
      kind: 'refused',
      error: new PdxError('PDX_KEY_NOT_FOUND', `party ${record.id} has no key "${kid}"`, { pointer: '/kid' }),
    };
  }
  if (key.revokedFrom !== undefined) {
    const current = Date.parse(key.revokedFrom);
    const requested = Date.parse(revokedFrom);
    if (requested === current && key.revocationReason === reason) return { kind: 'unchanged', value: key };
    if (requested >= current) {
      return {
        kind: 'refused',
        error: new PdxError(
          'PDX_KEY_ALREADY_REVOKED',
          `key "${kid}" is already revoked from ${key.revokedFrom} (${key.revocationReason}); a revocation can only move earlier`,
          { pointer: '/revokedFrom' },
        ),
      };
    }
  }
  const revoked: KeyState = { ...key, revokedFrom, revokedAt, revocationReason: reason };
  const event = decidedEvent(context, {
    type: 'org.pdx.party.key-revoked.v1',
    id: deterministicEventId('party.key-revoked.v1', partyId, kid, revokedFrom, reason),
    subject: partyId,
    data: { partyId, kid, revokedFrom, revokedAt, reason, revokedBy: actor },
  });
  return {
    kind: 'change',
    next: { ...record, keys: record.keys.map((k) => (k.jwk.kid === kid ? revoked : k)) },
    events: [event],
    value: revoked,
  };
}
