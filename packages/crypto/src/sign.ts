import type { PublicJwk } from '@pdx/contracts';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { algorithmFor, type SignatureAlgorithm } from './jws.js';

/** A private JWK as the CLI keeps it (never sent to the exchange). */
export type PrivateJwk = PublicJwk & { d: string };

/** A new key pair; the kid defaults to a date-based name. */
export async function generateSigningKey(
  alg: SignatureAlgorithm = 'EdDSA',
  kid = new Date().toISOString().slice(0, 10),
): Promise<{ privateJwk: PrivateJwk; publicJwk: PublicJwk }> {
  const { privateKey } = await generateKeyPair(alg === 'EdDSA' ? 'Ed25519' : 'ES256', { extractable: true });
  const exported = (await exportJWK(privateKey)) as JWK;
  const privateJwk = { ...exported, kid, alg, use: 'sig' } as PrivateJwk;
  return { privateJwk, publicJwk: publicPart(privateJwk) };
}

export function publicPart(jwk: PrivateJwk): PublicJwk {
  const { d: _d, ...rest } = jwk as PrivateJwk & Record<string, unknown>;
  const { key_ops: _o, ext: _e, ...pub } = rest;
  return pub as unknown as PublicJwk;
}

/** Signs bytes (a JSON payload) as a compact JWS with the key's own alg, its kid, and `typ`. */
export async function signCompact(
  payload: Uint8Array | string,
  privateJwk: PrivateJwk,
  typ: string,
): Promise<string> {
  const alg = algorithmFor(privateJwk);
  const key = await importJWK({ ...privateJwk, alg } as JWK, alg);
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return new CompactSign(bytes).setProtectedHeader({ alg, kid: privateJwk.kid, typ }).sign(key);
}
