import { createHash } from 'node:crypto';
import { canonicalJson, type StatementOfApplication } from '@pdx/contracts';
import { type ExchangeSigner, signDetached } from '@pdx/crypto';

/** Explicit type of the exchange's signature over a Statement of Application (RFC 8725 §3.11). */
export const STATEMENT_JWS_TYP = 'pdx-statement+jws';
/** Where the exchange publishes the key it signs with, relative to its base URL. */
export const EXCHANGE_JWKS_PATH = '/.well-known/jwks.json';

/**
 * What is signed: the RFC 8785 canonical JSON of the statement without its signature member.
 * Canonical, so the signature holds for the document, not for one serialisation of it: the
 * JSON answer, the copy embedded in the printable page and a re-indented file all verify.
 */
export function statementPayload(statement: StatementOfApplication): string {
  const { signature: _signature, ...unsigned } = statement;
  return canonicalJson(unsigned);
}

/** `sha-256:` and the hex SHA-256 of the signed payload, to compare a printed copy with. */
export function statementDigest(payload: string): string {
  return `sha-256:${createHash('sha256').update(payload, 'utf8').digest('hex')}`;
}

/**
 * The statement with its signature inside: a compact JWS with the payload detached (RFC 7515
 * appendix F) made with the exchange key that signs status answers, whose `kid` names the key
 * in /.well-known/jwks.json. It travels with the document, so a validator can check a saved
 * copy offline (`pdx verify-statement`).
 */
export async function signStatement(
  statement: StatementOfApplication,
  signer: ExchangeSigner,
): Promise<StatementOfApplication> {
  const { signature: _signature, ...unsigned } = statement;
  const payload = statementPayload(unsigned);
  return {
    ...unsigned,
    signature: {
      typ: STATEMENT_JWS_TYP,
      alg: signer.alg as 'EdDSA' | 'ES256',
      kid: signer.kid,
      canonicalization: 'RFC 8785',
      digest: statementDigest(payload),
      jwks: EXCHANGE_JWKS_PATH,
      jws: await signDetached(payload, signer, STATEMENT_JWS_TYP),
    },
  };
}
