import type { Certificate, PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { decideAttestation, decideClaim, decideStatusChange } from './certificate-decisions.js';
import type { CertificateRecord } from './certificate-record.js';

const t0 = Date.parse('2026-06-01T00:00:00Z');
const certificate: Certificate = {
  certificateId: 'eu-aeo-aeof~0123456789abcdef0123',
  schemeId: 'eu-aeo-aeof',
  number: 'DE AEOF 00025/08',
  holder: 'acme',
  trust: 'attested',
  issuer: 'zoll',
  scope: { functions: ['warehouse'] },
  validFrom: '2025-01-01T00:00:00Z',
  state: 'active',
  attestation: { jws: 'x.y.z', issuedAt: '2026-05-01T00:00:00Z', contentHash: 'h1' },
  confirmations: [],
  version: 1,
};
const record = (
  overrides: Partial<Certificate> = {},
  lastChange = { action: 'register' as const, by: 'zoll' },
) =>
  ({
    id: certificate.certificateId,
    version: 1,
    outbox: [],
    pending: false,
    holder: 'acme',
    certificate: { ...certificate, ...overrides },
    contentHash: 'h1',
    lastChange,
  }) as CertificateRecord;
const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as PdxError).code;
  }
  return 'no error';
};

describe('an attestation', () => {
  it('registers, repeats, renews, or is refused', () => {
    const later = Date.parse('2026-05-02T00:00:00Z');
    expect(decideAttestation(undefined, 'acme', 'h1', later)).toBe('register');
    expect(decideAttestation(record(), 'acme', 'h1', later)).toBe('repeat');
    expect(decideAttestation(record(), 'acme', 'h2', later)).toBe('renew');
    expect(code(() => decideAttestation(record(), 'initech', 'h2', later))).toBe(
      'PDX_CERTIFICATE_NUMBER_TAKEN',
    );
    expect(code(() => decideAttestation(record(), 'acme', 'h2', Date.parse('2026-05-01T00:00:00Z')))).toBe(
      'PDX_ATTESTATION_STALE',
    );
    expect(code(() => decideAttestation(record({ state: 'withdrawn' }), 'acme', 'h2', later))).toBe(
      'PDX_CERTIFICATE_STATE_CONFLICT',
    );
  });

  it('upgrades a claim of the same holder', () => {
    const claimed = record({ trust: 'claimed', issuer: undefined, attestation: undefined });
    expect(decideAttestation(claimed, 'acme', 'h2', t0)).toBe('renew');
  });
});

describe('a claim', () => {
  it('never replaces an attested certificate', () => {
    expect(code(() => decideClaim(record(), 'acme', 'h2'))).toBe('PDX_CERTIFICATE_ATTESTED');
    const claimed = record({ trust: 'claimed', issuer: undefined, attestation: undefined });
    expect(decideClaim(claimed, 'acme', 'h1')).toBe('repeat');
    expect(decideClaim(claimed, 'acme', 'h2')).toBe('renew');
    expect(code(() => decideClaim(claimed, 'initech', 'h2'))).toBe('PDX_CERTIFICATE_NUMBER_TAKEN');
  });
});

describe('a status change', () => {
  it('is the issuer’s alone for an attested certificate', () => {
    expect(code(() => decideStatusChange(record(), 'acme', 'suspend', 'r', t0))).toBe(
      'PDX_NOT_CERTIFICATE_ISSUER',
    );
    expect(decideStatusChange(record(), 'zoll', 'suspend', 'r', t0)).toBe('change');
  });

  it('lets a holder only withdraw its own claim', () => {
    const claimed = record({ trust: 'claimed', issuer: undefined }, { action: 'register', by: 'acme' });
    expect(code(() => decideStatusChange(claimed, 'acme', 'suspend', 'r', t0))).toBe(
      'PDX_NOT_CERTIFICATE_ISSUER',
    );
    expect(decideStatusChange(claimed, 'acme', 'withdraw', 'r', t0)).toBe('change');
  });

  it('follows the lifecycle: a repeat is answered, a contradiction is a conflict', () => {
    const suspended = record({ state: 'suspended' }, { action: 'suspend', by: 'zoll', reason: 'r' } as never);
    expect(decideStatusChange(suspended, 'zoll', 'suspend', 'r', t0)).toBe('repeat');
    expect(code(() => decideStatusChange(suspended, 'zoll', 'suspend', 'other', t0))).toBe(
      'PDX_CERTIFICATE_STATE_CONFLICT',
    );
    expect(decideStatusChange(suspended, 'zoll', 'reinstate', 'ok', t0)).toBe('change');
    expect(code(() => decideStatusChange(record(), 'zoll', 'reinstate', 'ok', t0))).toBe(
      'PDX_CERTIFICATE_STATE_CONFLICT',
    );
    const expired = record({ validUntil: '2026-01-01T00:00:00Z', schemeId: 'iso-28000' });
    expect(code(() => decideStatusChange(expired, 'zoll', 'suspend', 'r', t0))).toBe(
      'PDX_CERTIFICATE_STATE_CONFLICT',
    );
    expect(decideStatusChange(expired, 'zoll', 'withdraw', 'r', t0)).toBe('change');
    const withdrawn = record({ state: 'withdrawn' });
    expect(code(() => decideStatusChange(withdrawn, 'zoll', 'withdraw', 'again', t0))).toBe(
      'PDX_CERTIFICATE_STATE_CONFLICT',
    );
  });
});
