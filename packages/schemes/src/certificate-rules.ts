import { type Certificate, type CertificateScope, type ErrorCode, sha256Hex } from '@pdx/contracts';
import { type Catalogues, normaliseCertificateNumber } from './catalogue.js';

/** The content of an attestation or a claim that the catalogue constrains. */
export interface CertificateContent {
  schemeId: string;
  number: string;
  scope: CertificateScope;
  validFrom: string;
  validUntil?: string;
  tier?: string;
}

export interface ContentViolation {
  code: ErrorCode;
  pointer: string;
  detail: string;
}

const DAY_MS = 86_400_000;

/**
 * Pure: the rules of the scheme catalogue for one certificate — the scheme exists; the
 * number has the scheme's format; a dated scheme's certificate has validUntil, an open-ended
 * one has none; validity is no longer than the scheme allows; a tier is one of the scheme's.
 */
export function checkCertificateContent(
  catalogues: Catalogues,
  content: CertificateContent,
): ContentViolation | undefined {
  const scheme = catalogues.byId.get(content.schemeId);
  if (!scheme) {
    return {
      code: 'PDX_SCHEME_UNKNOWN',
      pointer: '/schemeId',
      detail: `${content.schemeId} is not in the scheme catalogue (version ${catalogues.schemes.version})`,
    };
  }
  const invalid = (pointer: string, detail: string): ContentViolation => ({
    code: 'PDX_CERTIFICATE_INVALID',
    pointer,
    detail,
  });
  const pattern = catalogues.numberPatterns.get(scheme.schemeId);
  if (pattern && !pattern.test(normaliseCertificateNumber(content.number))) {
    return invalid('/number', `is not a ${scheme.name} number (expected ${scheme.numberPattern})`);
  }
  if (scheme.validity === 'dated' && content.validUntil === undefined) {
    return invalid('/validUntil', `${scheme.schemeId} certificates are dated: validUntil is required`);
  }
  if (scheme.validity === 'open-ended' && content.validUntil !== undefined) {
    return invalid(
      '/validUntil',
      `${scheme.schemeId} authorisations are open-ended: they have no validUntil`,
    );
  }
  if (content.validUntil !== undefined && scheme.maxValidityMonths !== undefined) {
    const months = (Date.parse(content.validUntil) - Date.parse(content.validFrom)) / (30.4375 * DAY_MS);
    if (months > scheme.maxValidityMonths + 0.5) {
      return invalid(
        '/validUntil',
        `${scheme.schemeId} certificates are valid for at most ${scheme.maxValidityMonths} months`,
      );
    }
  }
  if (content.tier !== undefined && !(scheme.tiers ?? []).includes(content.tier)) {
    return invalid(
      '/tier',
      scheme.tiers ? `must be one of ${scheme.tiers.join(', ')}` : `${scheme.schemeId} has no tiers`,
    );
  }
  return undefined;
}

/** One certificate per scheme and number: its id is derived from both. */
export function certificateId(schemeId: string, number: string): string {
  const digest = sha256Hex(`${schemeId}\u0000${normaliseCertificateNumber(number)}`);
  return `${schemeId}~${digest.slice(0, 20)}`;
}

export type EffectiveState = 'pending' | 'active' | 'suspended' | 'withdrawn' | 'expired';

/**
 * The state of a certificate at an instant: a recorded withdrawal, suspension or expiry
 * first (they take effect at once, whatever the dates), then the validity window.
 */
export function effectiveState(
  certificate: Pick<Certificate, 'state' | 'validFrom' | 'validUntil'>,
  now: number,
): EffectiveState {
  if (certificate.state !== 'active') return certificate.state;
  if (certificate.validUntil !== undefined && Date.parse(certificate.validUntil) <= now) return 'expired';
  if (Date.parse(certificate.validFrom) > now) return 'pending';
  return 'active';
}

/** Whole days until validUntil (rounded down; negative once past); undefined if open-ended. */
export function daysToExpiry(certificate: Pick<Certificate, 'validUntil'>, now: number): number | undefined {
  if (certificate.validUntil === undefined) return undefined;
  return Math.floor((Date.parse(certificate.validUntil) - now) / DAY_MS);
}

/**
 * Pure: a certificate after an event that carries `incoming`. A newer version replaces the
 * one known; the lapse scheduler's expiry (same version) marks it expired; an older or
 * repeated event changes nothing (undefined). Events of one holder arrive in order, but a
 * redelivery may bring an older one again.
 */
export function certificateAfter(
  current: Certificate | undefined,
  incoming: Certificate,
  isExpiry: boolean,
): Certificate | undefined {
  if (!current || incoming.version > current.version) return incoming;
  if (isExpiry && incoming.version === current.version && current.state !== 'expired') {
    return { ...current, state: 'expired' };
  }
  return undefined;
}
