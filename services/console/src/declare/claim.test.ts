import { describe, expect, it } from 'vitest';
import { CLAIM_POINTERS, type ClaimDraft, checkClaim, emptyClaim, toClaim } from './claim.js';

const claim = (): ClaimDraft => ({
  ...emptyClaim(),
  schemeId: 'tapa-fsr',
  number: ' FSR-123 ',
  issuerName: 'TAPA EMEA',
  validFrom: '2026-01-01',
  validUntil: '2028-12-31',
  functions: ['warehouse'],
  sites: 'deham',
  evidence: '',
});

describe('a certificate claim', () => {
  it('becomes the claim body: trimmed, local dates, sites upper case, empty options left out', () => {
    expect(checkClaim(claim())).toEqual({});
    expect(toClaim(claim())).toEqual({
      schemeId: 'tapa-fsr',
      number: 'FSR-123',
      issuerName: 'TAPA EMEA',
      validFrom: new Date(2026, 0, 1).toISOString(),
      validUntil: new Date(2028, 11, 31, 23, 59, 59).toISOString(),
      scope: { functions: ['warehouse'], sites: ['DEHAM'] },
    });
  });

  it('may be open-ended', () => {
    const body = toClaim({ ...claim(), validUntil: '' });
    expect(body).not.toHaveProperty('validUntil');
    expect(checkClaim({ ...claim(), validUntil: '' })).toEqual({});
  });

  it('names each missing or malformed member by its pointer', () => {
    const found = checkClaim({
      ...emptyClaim(),
      validFrom: '2026-05-01',
      validUntil: '2026-04-01',
      sites: 'DEHAM XXABC',
    });
    expect(Object.keys(found).sort()).toEqual(
      ['/schemeId', '/number', '/issuerName', '/validUntil', '/scope/functions', '/scope/sites'].sort(),
    );
    expect(found['/scope/sites']).toMatch(/XXABC/);
    for (const pointer of Object.keys(found)) expect(CLAIM_POINTERS).toContain(pointer);
  });
});
