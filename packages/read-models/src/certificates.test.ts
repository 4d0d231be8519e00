import type { Certificate } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import {
  applyCertificateEvent,
  type CertificateDoc,
  type CertificateEvent,
  certificateCollection,
  evolveCertificate,
} from './certificates.js';
import { event, memoryCollection } from './fixtures.js';

const attestation = (jws: string) => ({
  jws,
  issuedAt: '2027-01-01T00:00:00.000Z',
  contentHash: 'h'.repeat(43),
});
const v1: Certificate = {
  certificateId: 'eu-aeo-aeos~00000000000000000001',
  schemeId: 'eu-aeo-aeos',
  number: 'DE AEOS 4711/27',
  holder: 'acme',
  trust: 'attested',
  issuer: 'zoll',
  scope: { functions: ['warehouse'] },
  validFrom: '2027-01-01T00:00:00.000Z',
  validUntil: '2030-01-01T00:00:00.000Z',
  state: 'active',
  attestation: attestation('a.b.c'),
  confirmations: [],
  version: 1,
};
const v2: Certificate = { ...v1, state: 'suspended', version: 2 };
const v3: Certificate = { ...v1, state: 'active', version: 3 };
const v4: Certificate = {
  ...v1,
  validUntil: '2033-01-01T00:00:00.000Z',
  attestation: attestation('d.e.f'),
  version: 4,
};
const { issuer: _issuer, attestation: _attestation, ...unsigned } = v1;
const claim: Certificate = {
  ...unsigned,
  certificateId: 'c-tpat~00000000000000000002',
  schemeId: 'c-tpat',
  trust: 'claimed',
  evidence: 'https://example.com/ctpat.pdf',
};
const claimConfirmed: Certificate = {
  ...claim,
  confirmations: [
    { buyerId: 'globex', reviewer: 'j.doe', evidenceRef: 'audit-7', confirmedAt: '2027-01-05T00:00:00.000Z' },
  ],
  version: 2,
};

const change = { changedAt: '2027-01-05T00:00:00.000Z', changedBy: 'zoll' };
const id = v1.certificateId;
const registered = event('org.pdx.certificate.registered.v1', 'acme', { certificate: v1, ...change }, 'e-1');
const suspended = event(
  'org.pdx.certificate.suspended.v1',
  'acme',
  { certificate: v2, ...change, changedAt: '2027-02-01T00:00:00.000Z', reason: 'audit' },
  'e-2',
);
const reinstated = event(
  'org.pdx.certificate.reinstated.v1',
  'acme',
  { certificate: v3, ...change, changedAt: '2027-03-01T00:00:00.000Z', reason: 'audit passed' },
  'e-3',
);
const renewed = event(
  'org.pdx.certificate.renewed.v1',
  'acme',
  {
    certificate: v4,
    ...change,
    changedAt: '2029-12-01T00:00:00.000Z',
    previous: { validFrom: v1.validFrom, validUntil: '2030-01-01T00:00:00.000Z' },
  },
  'e-4',
);
const withdrawn = event(
  'org.pdx.certificate.withdrawn.v1',
  'acme',
  { certificate: { ...v3, state: 'withdrawn', version: 4 }, ...change, reason: 'fraud' },
  'e-5',
);
const expired = event(
  'org.pdx.certificate.expired.v1',
  'acme',
  { certificate: v3, changedAt: '2030-01-01T00:00:00.000Z', changedBy: 'urn:pdx:pdx:certificates' },
  'e-6',
);
const expiring = event(
  'org.pdx.certificate.expiring.v1',
  'acme',
  {
    certificate: v3,
    buyerId: 'globex',
    thresholdDays: 30,
    dueAt: '2029-12-02T00:00:00.000Z',
    daysToExpiry: 30,
  },
  'e-7',
);
const claimRegistered = event(
  'org.pdx.certificate.registered.v1',
  'acme',
  { certificate: claim, ...change },
  'e-8',
);
const confirmed = event(
  'org.pdx.certificate.claim-confirmed.v1',
  'acme',
  { certificate: claimConfirmed, ...change, changedBy: 'globex', buyerId: 'globex' },
  'e-9',
);

const doc = (certificate: Certificate, receivedAt?: string): CertificateDoc => ({
  id: certificate.certificateId,
  holder: certificate.holder,
  certificate,
  ...(receivedAt === undefined ? {} : { attestationReceivedAt: receivedAt }),
});
const received = '2027-01-05T00:00:00.000Z';

describe('evolveCertificate', () => {
  const rows: {
    name: string;
    given: CertificateDoc | undefined;
    when: CertificateEvent;
    expected: CertificateDoc | undefined;
  }[] = [
    {
      name: 'a registration makes it, received when intake registered it',
      given: undefined,
      when: registered,
      expected: doc(v1, received),
    },
    {
      name: 'a registration seen again changes nothing',
      given: doc(v1, received),
      when: registered,
      expected: undefined,
    },
    {
      name: 'a suspension (a newer version) replaces it; the attestation keeps its receipt',
      given: doc(v1, received),
      when: suspended,
      expected: doc(v2, received),
    },
    {
      name: 'an older version changes nothing',
      given: doc(v2, received),
      when: registered,
      expected: undefined,
    },
    {
      name: 'a reinstatement replaces it',
      given: doc(v2, received),
      when: reinstated,
      expected: doc(v3, received),
    },
    {
      name: 'a renewal brings a new attestation, received at its change',
      given: doc(v3, received),
      when: renewed,
      expected: doc(v4, '2029-12-01T00:00:00.000Z'),
    },
    {
      name: 'a withdrawal replaces it',
      given: doc(v3, received),
      when: withdrawn,
      expected: doc({ ...v3, state: 'withdrawn', version: 4 }, received),
    },
    {
      name: "the scheduler's expiry (same version) marks it expired",
      given: doc(v3, received),
      when: expired,
      expected: doc({ ...v3, state: 'expired' }, received),
    },
    {
      name: 'an expiry seen again changes nothing',
      given: doc({ ...v3, state: 'expired' }, received),
      when: expired,
      expected: undefined,
    },
    {
      name: 'a lapse warning changes nothing',
      given: doc(v3, received),
      when: expiring,
      expected: undefined,
    },
    {
      name: 'a claim has no attestation to have received',
      given: undefined,
      when: claimRegistered,
      expected: doc(claim),
    },
    {
      name: "a buyer's confirmation replaces the claim",
      given: doc(claim),
      when: confirmed,
      expected: doc(claimConfirmed),
    },
    // Early events: every certificate event carries the whole certificate.
    {
      name: 'a suspension seen before the registration is the record; when intake received it is unknown',
      given: undefined,
      when: suspended,
      expected: doc(v2),
    },
    {
      name: 'the registration arriving after a newer event changes nothing',
      given: doc(v2),
      when: registered,
      expected: undefined,
    },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolveCertificate(given, when)).toEqual(expected);
  });
});

describe('applyCertificateEvent', () => {
  it('writes what evolve says; each event applied twice gives the same document', async () => {
    const docs = memoryCollection<CertificateDoc>();
    for (const e of [
      registered,
      registered,
      suspended,
      suspended,
      expiring,
      reinstated,
      reinstated,
      expired,
      expired,
    ]) {
      await applyCertificateEvent(docs, e);
    }
    expect(await docs.get(id)).toEqual(doc({ ...v3, state: 'expired' }, received));
  });
});

describe('certificateCollection', () => {
  it('always indexes by holder, and adds what a service asks for', () => {
    expect(certificateCollection()).toEqual({ name: 'certificates', indexes: [{ fields: ['holder'] }] });
    expect(certificateCollection({ indexes: [{ fields: ['certificate.issuer'] }] })).toEqual({
      name: 'certificates',
      indexes: [{ fields: ['holder'] }, { fields: ['certificate.issuer'] }],
    });
  });
});
