import { randomUUID } from 'node:crypto';
import { type PrivateJwk, signCompact } from './sign.js';

/**
 * The `typ` a pdx client assertion carries (draft-ietf-oauth-rfc7523bis): explicit typing, so
 * that no other signed object passes as one (RFC 8725 §3.11). The token endpoint also accepts
 * assertions without `typ` or with `JWT`, as stock OAuth client libraries send them.
 */
export const CLIENT_ASSERTION_TYP = 'client-authentication+jwt';
/** Longest accepted client assertion lifetime, in seconds: its `exp` is at most this far ahead. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** `client_assertion_type` of RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAssertionOptions {
  privateJwk: PrivateJwk;
  /** Your party id (or operator id): `iss` and `sub`. */
  clientId: string;
  /** The exchange's issuer URL or its token endpoint URL. */
  audience: string;
  /** Milliseconds since the epoch. */
  now: number;
  /** Default 60 s, at most 300. */
  lifetimeSeconds?: number;
  jti?: string;
}

/**
 * A client assertion (RFC 7523 §3) that authenticates a party or operator at the token
 * endpoint (`private_key_jwt`): signed with one of its registered keys, used once.
 */
export function mintClientAssertion(options: ClientAssertionOptions): Promise<string> {
  const iat = Math.floor(options.now / 1000);
  const claims = {
    iss: options.clientId,
    sub: options.clientId,
    aud: options.audience,
    iat,
    exp: iat + (options.lifetimeSeconds ?? 60),
    jti: options.jti ?? randomUUID(),
  };
  return signCompact(JSON.stringify(claims), options.privateJwk, CLIENT_ASSERTION_TYP);
}
