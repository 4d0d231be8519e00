import { randomUUID } from 'node:crypto';
import { type PrivateJwk, signCompact } from './sign.js';

/** Explicit type of a pdx bearer token (RFC 8725 §3.11): no other signed object passes as one. */
export const AUTH_TOKEN_TYP = 'pdx-auth+jwt';
/** Longest accepted token lifetime, exp - iat. */
export const MAX_TOKEN_LIFETIME_SECONDS = 300;

export interface AuthTokenOptions {
  privateJwk: PrivateJwk;
  /** Your party id (or operator id). */
  issuer: string;
  /** The exchange's id (PDX_EXCHANGE_ID, default "pdx"). */
  audience: string;
  /** Milliseconds since the epoch. */
  now: number;
  lifetimeSeconds?: number;
  jti?: string;
}

/** A single-use bearer token for one API call. */
export function mintAuthToken(options: AuthTokenOptions): Promise<string> {
  const iat = Math.floor(options.now / 1000);
  const claims = {
    iss: options.issuer,
    sub: options.issuer,
    aud: options.audience,
    iat,
    exp: iat + (options.lifetimeSeconds ?? 120),
    jti: options.jti ?? randomUUID(),
  };
  return signCompact(JSON.stringify(claims), options.privateJwk, AUTH_TOKEN_TYP);
}
