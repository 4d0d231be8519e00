import {
  type Certificate,
  type CertificateAttestation,
  type CertificateClaim,
  deterministicEventId,
} from '@pdx/contracts';
import type { VerifiedAttestation } from '@pdx/crypto';
import { describe, expect, it } from 'vitest';
import { contextAt, summary } from '../decisions.testing.js';
import {
  decideAttestation,
  decideClaim,
  decideConfirmation,
  decideStatusChange,
  type StatusAction,
} from './certificate-decisions.js';
import type { CertificateRecord } from './certificate-record.js';

const now = '2026-06-01T00:00:00.000Z';
const context = contextAt(now);
const id = 'eu-aeo-aeof~0123456789abcdef0123';
const certificate: Certificate = {
  certificateId: id,
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
const claimedCertificate: Partial<Certificate> = {
  trust: 'claimed',
  issuer: undefined,
  issuerName: 'Hauptzollamt Hamburg',
  attestation: undefined,
};
const record = (
  overrides: Partial<Certificate> = {},
  lastChange: CertificateRecord['lastChange'] = { action: 'register', by: 'zoll' },
  extra: Partial<CertificateRecord> = {},
): CertificateRecord => ({
  id,
  version: 1,
  outbox: [],
  pending: false,
  holder: 'acme',
  certificate: { ...certificate, ...overrides },
  contentHash: 'h1',
  lastChange,
  ...extra,
});
const certificateEvent = (type: string, version: number, action: string, data: object = {}) => ({
  type,
  id: deterministicEventId('certificate', id, String(version), action),
  subject: 'acme',
  data: { changedAt: now, ...data },
});

describe('decideAttestation', () => {
  const attestation = (holder = 'acme', issuedAt = '2026-05-02T00:00:00Z'): VerifiedAttestation => {
    const a: CertificateAttestation = {
      schemeId: 'eu-aeo-aeof',
      number: 'de aeof 00025/08',
      holder,
      issuer: 'zoll',
      scope: { functions: ['warehouse'] },
      validFrom: '2025-01-01T00:00:00Z',
      issuedAt,
    };
    return {
      jws: 'a.b.c',
      attestation: a,
      issuedAt: Date.parse(issuedAt),
      report: { verdict: 'VALID', checks: [] },
    };
  };
  const attested = {
    certificateId: id,
    number: 'DE AEOF 00025/08',
    holder: 'acme',
    trust: 'attested',
    issuer: 'zoll',
    attestation: { jws: 'a.b.c', issuedAt: '2026-05-02T00:00:00Z', contentHash: 'h2' },
    confirmations: [],
  };
  it.each([
    {
      given: 'a new certificate',
      current: undefined,
      verified: attestation(),
      expected: {
        kind: 'change',
        events: [
          certificateEvent('org.pdx.certificate.registered.v1', 1, 'register', {
            certificate: { ...attested, state: 'active', version: 1 },
            changedBy: 'zoll',
          }),
        ],
        next: {
          id,
          holder: 'acme',
          contentHash: 'h2',
          attestationReceivedAt: now,
          lastChange: { action: 'register', by: 'zoll' },
          certificate: { version: 1 },
        },
      },
    },
    {
      given: 'the recorded attestation again',
      current: record({}, undefined, { contentHash: 'h2' }),
      verified: attestation(),
      expected: { kind: 'unchanged' },
    },
    {
      given: 'a later attestation: a renewal, with what it replaced',
      current: record({ validUntil: '2026-12-31T00:00:00Z' }),
      verified: attestation(),
      expected: {
        kind: 'change',
        events: [
          certificateEvent('org.pdx.certificate.renewed.v1', 2, 'renew', {
            certificate: { ...attested, version: 2 },
            previous: {
              validFrom: '2025-01-01T00:00:00Z',
              trust: 'attested',
              validUntil: '2026-12-31T00:00:00Z',
            },
          }),
        ],
        next: { lastChange: { action: 'renew', by: 'zoll' } },
      },
    },
    {
      given: 'a renewal of a suspended certificate: it stays suspended',
      current: record({ state: 'suspended' }, { action: 'suspend', by: 'zoll', reason: 'audit' }),
      verified: attestation(),
      expected: { kind: 'change', next: { certificate: { state: 'suspended', version: 2 } } },
    },
    {
      given: 'an attestation of a claim of the same holder: it becomes attested',
      current: record(claimedCertificate, { action: 'register', by: 'acme' }),
      verified: attestation(),
      expected: {
        kind: 'change',
        events: [{ type: 'org.pdx.certificate.renewed.v1', data: { previous: { trust: 'claimed' } } }],
        next: { certificate: { trust: 'attested', issuer: 'zoll' } },
      },
    },
    {
      given: "another holder's number",
      current: record(),
      verified: attestation('initech'),
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_NUMBER_TAKEN', pointer: '/number' },
    },
    {
      given: 'an attestation signed no later than the recorded one',
      current: record(),
      verified: attestation('acme', '2026-05-01T00:00:00Z'),
      expected: { kind: 'refused', code: 'PDX_ATTESTATION_STALE', pointer: '/issuedAt' },
    },
    {
      given: 'a withdrawn certificate',
      current: record({ state: 'withdrawn' }),
      verified: attestation(),
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_STATE_CONFLICT', pointer: undefined },
    },
  ])('$given', ({ current, verified, expected }) => {
    expect(
      summary(decideAttestation(current, { id, verified, contentHash: 'h2', by: 'zoll' }, context)),
    ).toMatchObject(expected);
  });
});

describe('decideClaim', () => {
  const claim: CertificateClaim = {
    schemeId: 'eu-aeo-aeof',
    number: 'DE AEOF 00025/08',
    issuerName: 'Hauptzollamt Hamburg',
    scope: { functions: ['warehouse'] },
    validFrom: '2025-01-01T00:00:00Z',
    evidence: 'https://example.com/aeo.pdf',
  };
  const claimed = (extra: Partial<Certificate> = {}) =>
    record({ ...claimedCertificate, ...extra }, { action: 'register', by: 'acme' });
  it.each([
    {
      given: 'a new claim',
      current: undefined,
      holder: 'acme',
      hash: 'h1',
      expected: {
        kind: 'change',
        events: [
          certificateEvent('org.pdx.certificate.registered.v1', 1, 'register', {
            certificate: {
              trust: 'claimed',
              issuerName: 'Hauptzollamt Hamburg',
              evidence: 'https://example.com/aeo.pdf',
            },
            changedBy: 'acme',
          }),
        ],
        next: { contentHash: 'h1', lastChange: { action: 'register', by: 'acme' } },
      },
    },
    {
      given: 'the same claim again',
      current: claimed(),
      holder: 'acme',
      hash: 'h1',
      expected: { kind: 'unchanged' },
    },
    {
      given: 'a changed claim: confirmed again from scratch',
      current: claimed({
        confirmations: [{ buyerId: 'globex', reviewer: 'r', evidenceRef: 'e', confirmedAt: now }],
      }),
      holder: 'acme',
      hash: 'h2',
      expected: {
        kind: 'change',
        events: [{ type: 'org.pdx.certificate.renewed.v1' }],
        next: { certificate: { confirmations: [], version: 2 } },
      },
    },
    {
      given: 'a claim on an attested certificate',
      current: record(),
      holder: 'acme',
      hash: 'h2',
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_ATTESTED', pointer: undefined },
    },
    {
      given: "another holder's number",
      current: claimed(),
      holder: 'initech',
      hash: 'h2',
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_NUMBER_TAKEN', pointer: '/number' },
    },
    {
      given: 'a withdrawn claim',
      current: claimed({ state: 'withdrawn' }),
      holder: 'acme',
      hash: 'h2',
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_STATE_CONFLICT', pointer: undefined },
    },
  ])('$given', ({ current, holder, hash, expected }) => {
    expect(summary(decideClaim(current, { id, claim, contentHash: hash, holder }, context))).toMatchObject(
      expected,
    );
  });
});

describe('decideStatusChange', () => {
  const suspended = record({ state: 'suspended' }, { action: 'suspend', by: 'zoll', reason: 'r' });
  const expired = record({ validUntil: '2026-01-01T00:00:00Z', schemeId: 'iso-28000' });
  const claimed = record(claimedCertificate, { action: 'register', by: 'acme' });
  const changed = (type: string, action: StatusAction, reason: string, state: string, by = 'zoll') => ({
    kind: 'change',
    events: [
      certificateEvent(type, 2, action, { reason, changedBy: by, certificate: { state, version: 2 } }),
    ],
    next: { certificate: { state }, lastChange: { action, by, reason } },
  });
  const conflict = { kind: 'refused', code: 'PDX_CERTIFICATE_STATE_CONFLICT', pointer: undefined };
  const notIssuer = { kind: 'refused', code: 'PDX_NOT_CERTIFICATE_ISSUER', pointer: undefined };
  it.each([
    {
      given: 'the issuer suspends',
      current: record(),
      action: 'suspend',
      by: 'zoll',
      expected: changed('org.pdx.certificate.suspended.v1', 'suspend', 'r', 'suspended'),
    },
    {
      given: 'the holder suspends an attested certificate',
      current: record(),
      action: 'suspend',
      by: 'acme',
      expected: notIssuer,
    },
    {
      given: 'the holder suspends its claim',
      current: claimed,
      action: 'suspend',
      by: 'acme',
      expected: notIssuer,
    },
    {
      given: 'the holder withdraws its claim',
      current: claimed,
      action: 'withdraw',
      by: 'acme',
      expected: changed('org.pdx.certificate.withdrawn.v1', 'withdraw', 'r', 'withdrawn', 'acme'),
    },
    {
      given: 'the same suspension again',
      current: suspended,
      action: 'suspend',
      by: 'zoll',
      expected: { kind: 'unchanged' },
    },
    {
      given: 'a suspension of a suspended certificate, for another reason',
      current: suspended,
      action: 'suspend',
      by: 'zoll',
      reason: 'other',
      expected: conflict,
    },
    {
      given: 'a reinstatement of a suspended certificate',
      current: suspended,
      action: 'reinstate',
      by: 'zoll',
      reason: 'ok',
      expected: changed('org.pdx.certificate.reinstated.v1', 'reinstate', 'ok', 'active'),
    },
    {
      given: 'a reinstatement of an active certificate',
      current: record(),
      action: 'reinstate',
      by: 'zoll',
      reason: 'ok',
      expected: conflict,
    },
    {
      given: 'a suspension of an expired certificate',
      current: expired,
      action: 'suspend',
      by: 'zoll',
      expected: conflict,
    },
    {
      given: 'a withdrawal of an expired certificate',
      current: expired,
      action: 'withdraw',
      by: 'zoll',
      expected: changed('org.pdx.certificate.withdrawn.v1', 'withdraw', 'r', 'withdrawn'),
    },
    {
      given: 'a withdrawal of a withdrawn certificate',
      current: record({ state: 'withdrawn' }),
      action: 'withdraw',
      by: 'zoll',
      reason: 'again',
      expected: conflict,
    },
    {
      given: 'no certificate',
      current: undefined,
      action: 'withdraw',
      by: 'zoll',
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_NOT_FOUND', pointer: undefined },
    },
  ] as {
    given: string;
    current?: CertificateRecord;
    action: StatusAction;
    by: string;
    reason?: string;
    expected: object;
  }[])('$given', ({ current, action, by, reason, expected }) => {
    expect(
      summary(decideStatusChange(current, { id, action, reason: reason ?? 'r', by }, context)),
    ).toMatchObject(expected);
  });

  it('keeps the receipt time of the attestation in force', () => {
    const decision = decideStatusChange(
      record({}, undefined, { attestationReceivedAt: '2026-05-01T00:00:01.000Z' }),
      { id, action: 'suspend', reason: 'r', by: 'zoll' },
      context,
    );
    expect(decision.kind === 'change' && decision.next.attestationReceivedAt).toBe(
      '2026-05-01T00:00:01.000Z',
    );
  });
});

describe('decideConfirmation', () => {
  const confirmation = { reviewer: 'J. Doe', evidenceRef: 'DMS-4711' };
  const claimed = (
    confirmations: Certificate['confirmations'] = [],
    state: Certificate['state'] = 'active',
  ) => record({ ...claimedCertificate, confirmations, state }, { action: 'register', by: 'acme' });
  const mine = { buyerId: 'globex', ...confirmation, confirmedAt: '2026-05-01T00:00:00.000Z' };
  const theirs = {
    buyerId: 'umbrella',
    reviewer: 'X',
    evidenceRef: 'Y',
    confirmedAt: '2026-05-01T00:00:00.000Z',
  };
  it.each([
    {
      given: 'a linked buyer confirms a claim',
      current: claimed([theirs]),
      expected: {
        kind: 'change',
        events: [
          certificateEvent('org.pdx.certificate.claim-confirmed.v1', 2, 'confirm', {
            buyerId: 'globex',
            changedBy: 'globex',
            certificate: { confirmations: [theirs, { ...mine, confirmedAt: now }] },
          }),
        ],
        next: { lastChange: { action: 'confirm', by: 'globex' } },
      },
    },
    { given: 'the same confirmation again', current: claimed([mine]), expected: { kind: 'unchanged' } },
    {
      given: 'another confirmation by the same buyer: it replaces the earlier one',
      current: claimed([{ ...mine, reviewer: 'someone else' }, theirs]),
      expected: {
        kind: 'change',
        next: { certificate: { confirmations: [theirs, { ...mine, confirmedAt: now }] } },
      },
    },
    {
      given: 'a buyer without an accepted link',
      current: claimed(),
      linked: false,
      expected: { kind: 'refused', code: 'PDX_FORBIDDEN', pointer: undefined },
    },
    {
      given: 'an attested certificate',
      current: record(),
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_STATE_CONFLICT', pointer: undefined },
    },
    {
      given: 'a withdrawn claim',
      current: claimed([], 'withdrawn'),
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_STATE_CONFLICT', pointer: undefined },
    },
    {
      given: 'no certificate',
      current: undefined,
      expected: { kind: 'refused', code: 'PDX_CERTIFICATE_NOT_FOUND', pointer: undefined },
    },
  ] as { given: string; current?: CertificateRecord; linked?: boolean; expected: object }[])(
    '$given',
    ({ current, linked, expected }) => {
      expect(
        summary(
          decideConfirmation(
            current,
            { id, confirmation, buyerId: 'globex', linked: linked ?? true },
            context,
          ),
        ),
      ).toMatchObject(expected);
    },
  );
});
