import { sha256Hex } from './content-hash.js';
import type { EventOf } from './event-catalog.js';
import type {
  KeyPurposes,
  KeyState,
  PartyKeyAddedV1,
  PartyKeyRevokedV1,
  PartyRegistration,
  PublicJwk,
} from './generated/types.js';

/** One business relationship per (buyer, partner); intake and status name it the same way. */
export function relationshipId(buyerId: string, partnerId: string): string {
  return `${buyerId}~${partnerId}`;
}

/** A declaration is identified by its issuer and the issuer's declarationId. */
export function declarationKey(issuer: string, declarationId: string): string {
  return `${issuer}~${declarationId}`;
}

/** Keys not revoked at `now` (ms). */
export function activeKeys(keys: readonly KeyState[], now: number): KeyState[] {
  return keys.filter((k) => k.revokedFrom === undefined || Date.parse(k.revokedFrom) > now);
}

export type KeyPurpose = KeyPurposes[number];

/**
 * Does the exchange accept this key for `purpose`? A key without purposes — every key
 * registered before they existed — is accepted for both, so old events keep their meaning.
 */
export function keyAllows(
  key: { purposes?: readonly KeyPurpose[] | undefined },
  purpose: KeyPurpose,
): boolean {
  return key.purposes === undefined || key.purposes.includes(purpose);
}

/**
 * Pure: the key state of a JWK as registered. The JWK's `purposes` member (how a registration
 * or a key addition states them) moves beside the key, so the key itself stays a plain
 * RFC 7517 public key wherever it is served, and the purposes stay where every check reads them.
 */
export function keyStateOf(jwk: PublicJwk, addedAt: string): KeyState {
  const { purposes, ...key } = jwk;
  return { jwk: key, addedAt, ...(purposes === undefined ? {} : { purposes }) };
}

/** Pure: a party's keys as its registration (party.registered.v1) states them. */
export function keysAtRegistration(
  registration: Pick<PartyRegistration, 'jwks'>,
  registeredAt: string,
): KeyState[] {
  return registration.jwks.keys.map((jwk) => keyStateOf(jwk, registeredAt));
}

/**
 * A party's current JWKS: the keys not revoked at `now` (ms) that may sign declarations and
 * attestations. A key for authentication only is left out: whoever verifies a declaration
 * offline against this set (and knows nothing of purposes) must not accept one signed with a
 * staff sign-in key. Every key, with its purposes, is in the party's `keys`.
 */
export function currentJwks(keys: readonly KeyState[], now: number): { keys: PublicJwk[] } {
  return {
    keys: activeKeys(keys, now)
      .filter((k) => keyAllows(k, 'signing'))
      .map((k) => k.jwk),
  };
}

/** A UUID-shaped id derived from the event's content: republishing it is a no-op downstream. */
export function deterministicEventId(...parts: string[]): string {
  const h = sha256Hex(parts.join('\u0000'));
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
