import { type ExchangeSigner, signDetached, verifyDetached } from '@pdx/crypto';
import type { JWK } from 'jose';

/** Explicit type of the signature over a webhook body (RFC 8725 §3.11). */
export const WEBHOOK_TYP = 'pdx-webhook+jws';

/** Signs the exact bytes of a webhook body with the exchange's key (detached JWS). */
export function signWebhookBody(body: string, signer: ExchangeSigner): Promise<string> {
  return signDetached(body, signer, WEBHOOK_TYP);
}

/** What a receiver does: re-attach the body and verify with the exchange's public key. */
export function verifyWebhookBody(body: string, detached: string, publicJwk: JWK): Promise<boolean> {
  return verifyDetached(body, detached, publicJwk, WEBHOOK_TYP);
}
