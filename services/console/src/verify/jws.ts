import type { Schemas } from '../api.js';
import { fromBase64url } from '../encoding.js';

/** A public key of the exchange, as /.well-known/jwks.json publishes it. */
export type PublicKey = Schemas['PublicJwks_publicJwk'];
export type JwsAlg = 'EdDSA' | 'ES256';

/** Whether `key` is a key for `alg` (Ed25519 for EdDSA, P-256 for ES256), and says so itself if it names one. */
export function fitsAlg(key: PublicKey, alg: JwsAlg): boolean {
  const kind =
    alg === 'EdDSA' ? key.kty === 'OKP' && key.crv === 'Ed25519' : key.kty === 'EC' && key.crv === 'P-256';
  return kind && (key.alg === undefined || key.alg === alg);
}

/**
 * RFC 7515 5.2 step 8, with WebCrypto: does `signature` (base64url) verify over the JWS
 * signing input with `key`? ES256 signatures are R ‖ S, as WebCrypto's ECDSA takes them.
 */
export async function verifySignature(
  signingInput: string,
  signature: string,
  key: PublicKey,
  alg: JwsAlg,
): Promise<boolean> {
  const sig = fromBase64url(signature);
  if (!sig) return false;
  const jwk: JsonWebKey =
    alg === 'EdDSA'
      ? { kty: 'OKP', crv: 'Ed25519', x: key.x }
      : { kty: 'EC', crv: 'P-256', x: key.x, ...(key.y === undefined ? {} : { y: key.y }) };
  const params = alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey('jwk', jwk, params, false, ['verify']);
  } catch {
    return false;
  }
  return crypto.subtle.verify(
    alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' },
    cryptoKey,
    sig as Uint8Array<ArrayBuffer>,
    new TextEncoder().encode(signingInput),
  );
}
