import type { KeyState } from './generated/types.js';

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
