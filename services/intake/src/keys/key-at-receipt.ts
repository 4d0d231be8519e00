import { type KeyRecord, recheckSigningKey, refuse, type VerificationReport } from '@pdx/crypto';

/**
 * Pure: when the exchange receives a signed object, for the key check — now, for an object
 * that is new; `undefined` (no check) for one intake already accepted, sent again as it was
 * (the same content hash): an idempotent resubmission is answered as the first submission
 * was, whatever was revoked since, and what the signature is worth now is for the views
 * (status, review) to say.
 */
export function receiptTime(
  existing: { contentHash: string } | undefined,
  contentHash: string,
  now: number,
): number | undefined {
  return existing?.contentHash === contentHash ? undefined : now;
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
  refuse([signature], check, [
    {
      pointer: '/issuedAt',
      detail:
        'a signing time stated with a key compromised before the exchange received it proves nothing: sign again with a key in force',
    },
  ]);
}
