import { type Certificate, PdxError } from '@pdx/contracts';
import { effectiveState } from '@pdx/schemes';
import type { CertificateRecord } from './certificate-record.js';

export type StatusAction = 'suspend' | 'reinstate' | 'withdraw';

/** One number per scheme belongs to one holder. */
function assertSameHolder(current: CertificateRecord, holder: string): void {
  if (current.holder !== holder) {
    throw new PdxError(
      'PDX_CERTIFICATE_NUMBER_TAKEN',
      'another holder has a certificate with this number in this scheme',
      {
        pointer: '/number',
      },
    );
  }
}

/**
 * Pure: what an issuer's attestation does to the certificate on record. New → register; the
 * same attestation again → repeat; another holder's number → conflict; an attestation not
 * signed later than the recorded one → stale (an old attestation cannot roll a renewal back);
 * a withdrawn certificate is final; otherwise → renew (a claim becomes attested).
 */
export function decideAttestation(
  current: CertificateRecord | undefined,
  holder: string,
  contentHash: string,
  issuedAt: number,
): 'register' | 'renew' | 'repeat' {
  if (!current) return 'register';
  assertSameHolder(current, holder);
  if (current.contentHash === contentHash) return 'repeat';
  const recorded = current.certificate.attestation;
  if (recorded && Date.parse(recorded.issuedAt) >= issuedAt) {
    throw new PdxError(
      'PDX_ATTESTATION_STALE',
      `an attestation signed at ${recorded.issuedAt} is already recorded; a renewal must be signed later`,
      { pointer: '/issuedAt' },
    );
  }
  if (current.certificate.state === 'withdrawn') {
    throw new PdxError(
      'PDX_CERTIFICATE_STATE_CONFLICT',
      'the certificate was withdrawn; a withdrawal is final',
    );
  }
  return 'renew';
}

/** Pure: what a holder's claim does. Claims never override an issuer's attestation. */
export function decideClaim(
  current: CertificateRecord | undefined,
  holder: string,
  contentHash: string,
): 'register' | 'renew' | 'repeat' {
  if (!current) return 'register';
  assertSameHolder(current, holder);
  if (current.certificate.trust === 'attested') {
    throw new PdxError(
      'PDX_CERTIFICATE_ATTESTED',
      `the certificate is attested by ${current.certificate.issuer}; only its issuer changes it`,
    );
  }
  if (current.contentHash === contentHash) return 'repeat';
  if (current.certificate.state === 'withdrawn') {
    throw new PdxError(
      'PDX_CERTIFICATE_STATE_CONFLICT',
      'the certificate was withdrawn; a withdrawal is final',
    );
  }
  return 'renew';
}

/**
 * Pure: may `caller` suspend, reinstate or withdraw, and does it change anything? An attested
 * certificate is changed only by its issuer; a claim only by its holder, and a claim can only
 * be withdrawn (suspension is an issuer's act). A repeat of the last change with the same
 * reason is answered as before.
 */
export function decideStatusChange(
  current: CertificateRecord,
  caller: string,
  action: StatusAction,
  reason: string,
  now: number,
): 'change' | 'repeat' {
  const c = current.certificate;
  const allowed = c.trust === 'attested' ? c.issuer === caller : c.holder === caller && action === 'withdraw';
  if (!allowed) {
    throw new PdxError(
      'PDX_NOT_CERTIFICATE_ISSUER',
      c.trust === 'attested'
        ? `only the issuer ${c.issuer} may ${action} this certificate`
        : 'a claimed certificate has no issuer on the exchange: its holder can only withdraw it',
    );
  }
  const last = current.lastChange;
  if (last.action === action && last.reason === reason) return 'repeat';
  const state = effectiveState(c, now);
  const conflict = (detail: string) => new PdxError('PDX_CERTIFICATE_STATE_CONFLICT', detail);
  if (state === 'withdrawn') throw conflict('the certificate was withdrawn; a withdrawal is final');
  if (action === 'suspend' && state === 'suspended') throw conflict('the certificate is already suspended');
  if (action === 'suspend' && state === 'expired')
    throw conflict('the certificate has expired; there is nothing to suspend');
  if (action === 'reinstate' && state !== 'suspended')
    throw conflict('only a suspended certificate can be reinstated');
  return 'change';
}

export function stateAfter(action: StatusAction): Certificate['state'] {
  switch (action) {
    case 'suspend':
      return 'suspended';
    case 'reinstate':
      return 'active';
    case 'withdraw':
      return 'withdrawn';
  }
}
