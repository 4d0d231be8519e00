/** A certificate claim as its form holds it, the console's checks, and the body it becomes. */
import type { Schemas } from '../api.js';
import { t } from '../messages.js';
import type { ServiceFunction } from '../vocabulary.js';
import { locationMessages, validFromInstant, validUntilInstant } from './compose.js';
import { parseLocodes } from './scope.js';

export type Claim = Schemas['CertificateClaim'];

export const CLAIM_POINTERS = [
  '/schemeId',
  '/number',
  '/issuerName',
  '/tier',
  '/validFrom',
  '/validUntil',
  '/scope/functions',
  '/scope/sites',
  '/scope',
  '/evidence',
] as const;
export type ClaimPointer = (typeof CLAIM_POINTERS)[number];

export interface ClaimDraft {
  schemeId: string;
  number: string;
  issuerName: string;
  tier: string;
  validFrom: string;
  validUntil: string;
  functions: ServiceFunction[];
  sites: string;
  evidence: string;
}
export const emptyClaim = (): ClaimDraft => ({
  schemeId: '',
  number: '',
  issuerName: '',
  tier: '',
  validFrom: '',
  validUntil: '',
  functions: [],
  sites: '',
  evidence: '',
});

/** The console's checks of a claim before it is sent: messages by pointer. */
export function checkClaim(c: ClaimDraft): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [pointer, text] of [
    ['/schemeId', c.schemeId],
    ['/number', c.number],
    ['/issuerName', c.issuerName],
  ] as const)
    if (text.trim() === '') found[pointer] = t('form.required');
  if (!validFromInstant(c.validFrom)) found['/validFrom'] = t('declare.error.date');
  if (c.validUntil !== '') {
    const until = validUntilInstant(c.validUntil);
    const from = validFromInstant(c.validFrom);
    if (!until) found['/validUntil'] = t('declare.error.date');
    else if (from && until <= from) found['/validUntil'] = t('declare.error.untilBeforeFrom');
  }
  if (c.functions.length === 0) found['/scope/functions'] = t('declare.error.functions');
  const sites = locationMessages(c.sites);
  if (sites.length > 0) found['/scope/sites'] = sites.join(' ');
  return found;
}

export function toClaim(c: ClaimDraft): Claim {
  const sites = parseLocodes(c.sites);
  const until = c.validUntil ? validUntilInstant(c.validUntil) : null;
  return {
    schemeId: c.schemeId.trim(),
    number: c.number.trim(),
    issuerName: c.issuerName.trim(),
    validFrom: (validFromInstant(c.validFrom) as Date).toISOString(),
    ...(until ? { validUntil: until.toISOString() } : {}),
    ...(c.tier.trim() ? { tier: c.tier.trim() } : {}),
    ...(c.evidence.trim() ? { evidence: c.evidence.trim() } : {}),
    scope: { functions: [...c.functions], ...(sites.length > 0 ? { sites: [...new Set(sites)] } : {}) },
  };
}
