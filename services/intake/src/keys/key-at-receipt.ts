import { type KeyRecord, recheckSigningKey, refuse, type VerificationReport } from '@pdx/crypto';

/**
 * Pure: when the exchange received a signed object, for the key check — now, for an object
 * that is new; for one intake already accepted and sent again as it was (the same content
 * hash), when it first received it: an idempotent resubmission is answered as the first one
 * was, unless a key revoked as compromised since then shows it came in after the compromise
 * (then it is refused, as the views and the review service now ignore it). A record made
 * before receipt times were kept has none: it is answered as before.
 */
export function receiptTime(
  existing: { contentHash: string; receivedAt?: string | undefined } | undefined,
  contentHash: string,
  now: number,
): number | undefined {
  if (existing?.contentHash !== contentHash) return now;
  return existing.receivedAt === undefined ? undefined : Date.parse(existing.receivedAt);
}

/**
 * Pure: the key step once more, with the time of receipt, for a declaration or a certificate
 * attestation that passed verification (whose key check believed the signing time it states).
 * A key revoked as compromised from T signs nothing the exchange receives from T on, whatever
 * time that signature states: whoever stole the key chooses that time (a backdated
 * `issuedAt`), not when the exchange receives it — so intake refuses what review and status
 * would ignore, instead of answering 201. Throws VerificationRefused with PDX_KEY_REVOKED,
 * the report (signature VALID, key INVALID naming the revocation, the rest SKIPPED) and the
 * pointer of the stated signing time; returns when the key stands.
 */
export function checkKeyAtReceipt(
  verified: { jws: string; report: VerificationReport },
  keys: readonly KeyRecord[],
  signedAt: number,
  receivedAt: number | undefined,
): void {
  if (receivedAt === undefined) return;
  const check = recheckSigningKey(verified.jws, keys, signedAt, receivedAt);
  if (check?.status !== 'INVALID') return;
  const signature = verified.report.checks.find((c) => c.check === 'signature');
  if (signature?.status !== 'VALID') throw new TypeError('the key is checked again only after the signature');
  // Only a compromise makes the stated signing time the culprit; a key not for signing (caught
  // by verification already, kept for completeness) has no field to point at.
  if (check.code !== 'PDX_KEY_REVOKED') refuse([signature], check);
  refuse([signature], check, [
    {
      pointer: '/issuedAt',
      detail:
        'a signing time stated with a key compromised before the exchange received it proves nothing: sign again with a key in force',
    },
  ]);
}
