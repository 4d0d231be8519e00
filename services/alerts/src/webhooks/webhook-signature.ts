import { CompactSign, type CryptoKey, compactVerify, importJWK, type JWK } from 'jose';

/** Explicit type of the signature over a webhook body (RFC 8725 §3.11). */
export const WEBHOOK_TYP = 'pdx-webhook+jws';
/** The header carrying the detached JWS (RFC 7515 appendix F: `header..signature`). */
export const SIGNATURE_HEADER = 'pdx-signature';

/**
 * Signs the exact bytes of a webhook body with the exchange's key: a compact JWS with the
 * payload detached, so the receiver verifies what it received, byte for byte, against the
 * exchange's published JWKS (`/.well-known/jwks.json`).
 */
export async function signWebhookBody(
  body: string,
  key: CryptoKey,
  kid: string,
  alg: string,
): Promise<string> {
  const jws = await new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({ alg, kid, typ: WEBHOOK_TYP })
    .sign(key);
  const [header, , signature] = jws.split('.');
  return `${header}..${signature}`;
}

/** What a receiver does: re-attach the body and verify with the exchange's public key. */
export async function verifyWebhookBody(body: string, detached: string, publicJwk: JWK): Promise<boolean> {
  const [header, empty, signature] = detached.split('.');
  if (header === undefined || empty !== '' || signature === undefined) return false;
  const payload = Buffer.from(body, 'utf8').toString('base64url');
  try {
    const key = await importJWK(publicJwk, publicJwk.alg);
    const { protectedHeader } = await compactVerify(`${header}.${payload}.${signature}`, key, {
      algorithms: ['EdDSA', 'ES256'],
    });
    return protectedHeader.typ === WEBHOOK_TYP;
  } catch {
    return false;
  }
}
