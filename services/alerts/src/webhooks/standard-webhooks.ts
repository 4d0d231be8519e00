import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { PrivateJwk } from '@pdx/crypto';

/**
 * Standard Webhooks 1.0.0 (standard-webhooks/standard-webhooks, spec/standard-webhooks.md),
 * asymmetric form: `webhook-signature: v1a,<base64 Ed25519 signature>` over
 * `${webhook-id}.${webhook-timestamp}.${body}`, the receiver's key as `whpk_<base64 public key>`.
 * The id and the timestamp are signed with the body, so a receiver that checks the timestamp
 * against its clock (the spec's tolerance: 5 minutes) refuses a replayed delivery, and one that
 * remembers ids refuses a duplicate.
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

export interface StandardWebhookSigner {
  /** The key's id in /.well-known/jwks.json. */
  kid: string;
  /** What a receiver configures its verifier with: `whpk_` + base64 of the raw 32-byte key. */
  publicKey: string;
  /** `v1a,<signature>` of the id, the attempt's time (seconds since the epoch) and the exact body. */
  sign(id: string, timestampSeconds: number, body: string): string;
}

/** Whether a private JWK is an Ed25519 key, the only kind `v1a` signatures are made with. */
export function isEd25519(jwk: PrivateJwk): boolean {
  return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
}

export function standardWebhookSigner(privateJwk: PrivateJwk): StandardWebhookSigner {
  if (!isEd25519(privateJwk)) throw new TypeError('Standard Webhooks v1a signatures need an Ed25519 key');
  const key: KeyObject = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
  return {
    kid: privateJwk.kid,
    publicKey: `whpk_${Buffer.from(privateJwk.x, 'base64url').toString('base64')}`,
    sign(id, timestampSeconds, body) {
      // The spec forbids a '.' in the id and the timestamp: the content must split one way only.
      if (id.includes('.') || !Number.isSafeInteger(timestampSeconds)) {
        throw new TypeError('a webhook id has no "." and the timestamp is whole seconds');
      }
      const signature = sign(null, Buffer.from(`${id}.${timestampSeconds}.${body}`, 'utf8'), key);
      return `v1a,${signature.toString('base64')}`;
    },
  };
}

/** The three headers of one attempt, made at `nowMs`. */
export function standardWebhookHeaders(
  signer: StandardWebhookSigner,
  id: string,
  nowMs: number,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signer.sign(id, timestamp, body),
  };
}
