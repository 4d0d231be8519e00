import type { Certificate, KeyState } from '@pdx/contracts';
import { recheckSigningKey } from '@pdx/crypto';
import type { DeclarationFact } from '@pdx/rules';
import type { CertificateDoc, DeclarationDoc } from '../facts/fact-docs.js';

/** A party's keys as the review service knows them now (undefined: the party is not known yet). */
export type KeysOf = (partyId: string) => readonly KeyState[] | undefined;

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/**
 * Pure: does a signature the exchange accepted still stand with its signer's keys as they
 * are now? A revocation recorded since may reach back before it (a compromise found later).
 * Nothing known against it — the signer or its key not projected yet — leaves it standing:
 * intake verified it, and only a recorded revocation withdraws that.
 */
export function signatureStands(
  keys: readonly KeyState[] | undefined,
  jws: string,
  signedAt: string,
  receivedAt: string | undefined,
): boolean {
  if (keys === undefined) return true;
  return recheckSigningKey(jws, keys, Date.parse(signedAt), ms(receivedAt))?.status !== 'INVALID';
}

/**
 * Pure: the partner's declarations and certificates the rules engine may rest a decision on —
 * those whose signatures still stand. A certificate attestation signed with an issuer's key
 * revoked from before it was signed grounds nothing (ISO 28001 4.3, 4.4), nor does such a
 * declaration (4.2): it is left out altogether, its `supersedes` included, since whoever
 * held the key could have written it; the declaration it claims to replace is the partner's
 * last authentic word again. Claims carry no signature and are not affected.
 */
export function standingFacts(
  declarations: readonly DeclarationDoc[],
  certificates: readonly CertificateDoc[],
  keysOf: KeysOf,
): { declarations: DeclarationFact[]; certificates: Certificate[] } {
  return {
    declarations: declarations
      .filter((d) => signatureStands(keysOf(d.issuer), d.jws, d.fact.issuedAt, d.submittedAt))
      .map((d) => d.fact),
    certificates: certificates
      .filter(({ certificate: c, attestationReceivedAt }) => {
        if (c.trust !== 'attested' || c.attestation === undefined || c.issuer === undefined) return true;
        return signatureStands(
          keysOf(c.issuer),
          c.attestation.jws,
          c.attestation.issuedAt,
          attestationReceivedAt,
        );
      })
      .map((d) => d.certificate),
  };
}
