import type { CertificateView, KeyState } from '@pdx/contracts';
import { recheckSigningKey } from '@pdx/crypto';
import type { CertificateDoc } from '@pdx/read-models';

/**
 * Pure: the issuer's key checked again with the issuer's keys as they are now (undefined for
 * a claim, or when the key is not known here). A revocation may reach back before the
 * attestation — from before it was signed, or, compromised, from before it reached the
 * exchange — and then the certificate grounds nothing.
 */
export function keyCheckNow(
  doc: CertificateDoc,
  issuerKeys: readonly KeyState[] | undefined,
): CertificateView['keyCheck'] {
  const { attestation } = doc.certificate;
  if (attestation === undefined || issuerKeys === undefined) return undefined;
  const receivedAt =
    doc.attestationReceivedAt === undefined ? undefined : Date.parse(doc.attestationReceivedAt);
  const result = recheckSigningKey(attestation.jws, issuerKeys, Date.parse(attestation.issuedAt), receivedAt);
  if (result === undefined || result.status === 'ERROR' || result.status === 'SKIPPED') return undefined;
  return {
    check: 'key-valid-at-signing-time',
    status: result.status,
    ...(result.code === undefined ? {} : { code: result.code }),
    ...(result.detail === undefined ? {} : { detail: result.detail }),
  };
}
