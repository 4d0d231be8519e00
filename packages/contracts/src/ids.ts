import { createHash } from 'node:crypto';
import type { EventOf } from './event-catalog.js';
import type { KeyState, PartyKeyAddedV1, PartyKeyRevokedV1 } from './generated/types.js';

/** One business relationship per (buyer, partner); intake and status name it the same way. */
export function relationshipId(buyerId: string, partnerId: string): string {
  return `${buyerId}~${partnerId}`;
}

/** A declaration is identified by its issuer and the issuer's declarationId. */
export function declarationKey(issuer: string, declarationId: string): string {
  return `${issuer}~${declarationId}`;
}

/** Keys not revoked at `now` (ms): a party's current JWKS. */
export function activeKeys(keys: readonly KeyState[], now: number): KeyState[] {
  return keys.filter((k) => k.revokedFrom === undefined || Date.parse(k.revokedFrom) > now);
}

/** A UUID-shaped id derived from the event's content: republishing it is a no-op downstream. */
export function deterministicEventId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The state a business relationship is in after one of its events. */
export function relationshipStateAfter(
  type:
    | 'org.pdx.relationship.offered.v1'
    | 'org.pdx.relationship.accepted.v1'
    | 'org.pdx.relationship.ended.v1',
): 'offered' | 'accepted' | 'ended' {
  return type === 'org.pdx.relationship.accepted.v1'
    ? 'accepted'
    : type === 'org.pdx.relationship.ended.v1'
      ? 'ended'
      : 'offered';
}

/**
 * Pure and idempotent: a party's keys after a key event — a rotation adds the key once, a
 * revocation records its effective time on the key it names. Every service that
 * authenticates parties from events keeps its keys this way.
 */
export function keysAfter(
  keys: readonly KeyState[],
  change: { added: PartyKeyAddedV1 } | { revoked: PartyKeyRevokedV1 },
): KeyState[] {
  if ('added' in change) {
    const { key } = change.added;
    return keys.some((k) => k.jwk.kid === key.jwk.kid) ? [...keys] : [...keys, key];
  }
  const { kid, revokedFrom, revokedAt, reason } = change.revoked;
  return keys.map((k) =>
    k.jwk.kid === kid ? { ...k, revokedFrom, revokedAt, revocationReason: reason } : k,
  );
}

/**
 * Pure: when intake received a certificate's current attestation, after a certificate event —
 * the registration or renewal that brought it (its changedAt); kept while later events carry
 * the same attestation; unknown (undefined) for one first seen on another event or a claim.
 * A key revoked as compromised from T invalidates what reached the exchange from T on,
 * whatever signing time the thief stated; every service that keeps certificates keeps this.
 */
export function attestationReceivedAt(
  event: EventOf<
    | 'org.pdx.certificate.registered.v1'
    | 'org.pdx.certificate.renewed.v1'
    | 'org.pdx.certificate.suspended.v1'
    | 'org.pdx.certificate.reinstated.v1'
    | 'org.pdx.certificate.withdrawn.v1'
    | 'org.pdx.certificate.claim-confirmed.v1'
    | 'org.pdx.certificate.expired.v1'
  >,
  previous: { jws: string | undefined; receivedAt: string | undefined } | undefined,
): string | undefined {
  const jws = event.data.certificate.attestation?.jws;
  if (jws === undefined) return undefined;
  if (previous?.jws === jws) return previous.receivedAt;
  return event.type === 'org.pdx.certificate.registered.v1' || event.type === 'org.pdx.certificate.renewed.v1'
    ? event.data.changedAt
    : undefined;
}
