import { CompactSign, type CryptoKey, compactVerify, importJWK, type JWK } from 'jose';

/** The exchange's own signing key, as services use it. */
export interface ExchangeSigner {
  key: CryptoKey;
  kid: string;
  alg: string;
}

/** The header carrying a detached JWS (RFC 7515 appendix F: `header..signature`). */
export const SIGNATURE_HEADER = 'pdx-signature';

/**
 * Signs the exact bytes of a body with the exchange's key: a compact JWS with the payload
 * detached, explicitly typed (RFC 8725 §3.11), so its receiver verifies what it received,
 * byte for byte, against the exchange's published JWKS (`/.well-known/jwks.json`) and can
 * keep both as evidence.
 */
export async function signDetached(body: string, signer: ExchangeSigner, typ: string): Promise<string> {
  const jws = await new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ })
    .sign(signer.key);
  const [header, , signature] = jws.split('.');
  return `${header}..${signature}`;
}

/** What a receiver does: re-attach the body and verify with the exchange's public key and typ. */
export async function verifyDetached(
  body: string,
  detached: string,
  publicJwk: JWK,
  typ: string,
): Promise<boolean> {
  const [header, empty, signature] = detached.split('.');
  if (header === undefined || empty !== '' || signature === undefined) return false;
  const payload = Buffer.from(body, 'utf8').toString('base64url');
  try {
    const key = await importJWK(publicJwk, publicJwk.alg);
    const { protectedHeader } = await compactVerify(`${header}.${payload}.${signature}`, key, {
      algorithms: ['EdDSA', 'ES256'],
    });
    return protectedHeader.typ === typ;
  } catch {
    return false;
  }
}
