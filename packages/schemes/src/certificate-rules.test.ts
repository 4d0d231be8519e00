import { SchemaRegistry } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import {
  certificateAfter,
  certificateId,
  checkCertificateContent,
  daysToExpiry,
  effectiveState,
} from './certificate-rules.js';
import { loadCatalogues } from './load.js';

const catalogues = loadCatalogues(new SchemaRegistry());
const DAY = 86_400_000;
const t0 = Date.parse('2026-06-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const base = {
  schemeId: 'isps-issc',
  number: 'ISSC-9074729-01',
  scope: { functions: ['ocean-carrier' as const] },
  validFrom: iso(t0),
  validUntil: iso(t0 + 365 * DAY),
};

describe('certificate content rules', () => {
  it('accepts a certificate that fits its scheme', () => {
    expect(checkCertificateContent(catalogues, base)).toBeUndefined();
  });

  it('names the rule and the field of each violation', () => {
    const code = (overrides: object) => {
      const v = checkCertificateContent(catalogues, { ...base, ...overrides });
      return v && [v.code, v.pointer];
    };
    expect(code({ schemeId: 'nope' })).toEqual(['PDX_SCHEME_UNKNOWN', '/schemeId']);
    expect(code({ validUntil: undefined })).toEqual(['PDX_CERTIFICATE_INVALID', '/validUntil']);
    // ISSC: at most five years.
    expect(code({ validUntil: iso(t0 + 6 * 365 * DAY) })).toEqual(['PDX_CERTIFICATE_INVALID', '/validUntil']);
    expect(code({ tier: 'Validated' })).toEqual(['PDX_CERTIFICATE_INVALID', '/tier']);
    expect(code({ schemeId: 'us-ctpat', tier: 'Platinum' })).toEqual(['PDX_CERTIFICATE_INVALID', '/tier']);
    expect(code({ schemeId: 'us-ctpat', tier: 'Validated' })).toBeUndefined();
    expect(code({ schemeId: 'eu-aeo-aeos', number: 'DE AEOS 123/20' })).toEqual([
      'PDX_CERTIFICATE_INVALID',
      '/validUntil',
    ]);
    expect(
      code({ schemeId: 'eu-aeo-aeos', number: 'DE AEOS 123/20', validUntil: undefined }),
    ).toBeUndefined();
    expect(code({ schemeId: 'eu-aeo-aeos', number: 'DE-123', validUntil: undefined })).toEqual([
      'PDX_CERTIFICATE_INVALID',
      '/number',
    ]);
  });
});

describe('certificate identity and state', () => {
  it('gives one id per scheme and normalised number', () => {
    expect(certificateId('eu-aeo-aeof', 'DE AEOF 00025/08')).toBe(
      certificateId('eu-aeo-aeof', ' de  aeof 00025/08'),
    );
    expect(certificateId('eu-aeo-aeof', 'DE AEOF 00025/08')).not.toBe(
      certificateId('eu-aeo-aeos', 'DE AEOF 00025/08'),
    );
    expect(certificateId('iso-28000', 'X')).toMatch(/^iso-28000~[0-9a-f]{20}$/);
  });

  it('lets suspension and withdrawal win over dates, then applies the validity window', () => {
    const c = { state: 'active' as const, validFrom: iso(t0), validUntil: iso(t0 + 10 * DAY) };
    expect(effectiveState(c, t0 - 1)).toBe('pending');
    expect(effectiveState(c, t0)).toBe('active');
    expect(effectiveState(c, t0 + 10 * DAY)).toBe('expired');
    expect(effectiveState({ ...c, state: 'suspended' }, t0 + 20 * DAY)).toBe('suspended');
    expect(effectiveState({ ...c, state: 'withdrawn' }, t0)).toBe('withdrawn');
    expect(effectiveState({ ...c, state: 'expired' }, t0)).toBe('expired');
    expect(effectiveState({ state: 'active', validFrom: iso(t0) }, t0 + 9999 * DAY)).toBe('active');
  });

  it('counts whole days to expiry, negative once past', () => {
    const c = { validUntil: iso(t0 + 30 * DAY) };
    expect(daysToExpiry(c, t0)).toBe(30);
    expect(daysToExpiry(c, t0 + 1)).toBe(29);
    expect(daysToExpiry(c, t0 + 31 * DAY)).toBe(-1);
    expect(daysToExpiry({}, t0)).toBeUndefined();
  });
});

describe('a certificate after an event', () => {
  const v1 = {
    certificateId: 'iso-28000~00000000000000000001',
    schemeId: 'iso-28000',
    number: 'ISO-1',
    holder: 'acme',
    trust: 'attested' as const,
    scope: { functions: ['warehouse' as const] },
    validFrom: iso(t0),
    validUntil: iso(t0 + DAY),
    state: 'active' as const,
    confirmations: [],
    version: 1,
  };
  it('takes a newer version, marks an expiry of the same version, and ignores the rest', () => {
    expect(certificateAfter(undefined, v1, false)).toBe(v1);
    const v2 = { ...v1, version: 2, state: 'suspended' as const };
    expect(certificateAfter(v1, v2, false)).toBe(v2);
    expect(certificateAfter(v2, v1, false)).toBeUndefined();
    expect(certificateAfter(v1, { ...v1, state: 'expired' }, true)).toEqual({ ...v1, state: 'expired' });
    expect(certificateAfter({ ...v1, state: 'expired' }, v1, true)).toBeUndefined();
    expect(certificateAfter(v2, { ...v1, state: 'expired' }, true)).toBeUndefined();
  });
});
