import { type Certificate, type CertificateChange, createEvent, SchemaRegistry } from '@pdx/contracts';
import { attestedCertificate } from '@pdx/read-models/testing';
import { describe, expect, it } from 'vitest';
import { decideCertificate, decideSchedule } from './schedule-decisions.js';
import { NEVER, type ScheduleDoc } from './schedule-docs.js';

const DAY = 86_400_000;
const until = '2027-01-31T00:00:00.000Z';
const certificate = (overrides: Partial<Certificate> = {}): Certificate =>
  attestedCertificate({ validFrom: '2024-01-31T00:00:00.000Z', validUntil: until, ...overrides });
const entry = (c: Certificate, overrides: Partial<ScheduleDoc> = {}): ScheduleDoc => ({
  id: c.certificateId,
  holder: c.holder,
  certificate: c,
  scheduled: true,
  nextDueMs: 42,
  version: 3,
  ...overrides,
});
const registry = new SchemaRegistry();
const base = (c: Certificate) => ({
  subject: c.holder,
  source: 'urn:pdx:pdx:intake',
  time: Date.parse('2026-06-01T00:00:00Z'),
});
const changedAt = '2026-06-01T00:00:00.000Z';
const changed = (
  type: 'org.pdx.certificate.registered.v1' | 'org.pdx.certificate.suspended.v1',
  c: Certificate,
): CertificateChange =>
  type === 'org.pdx.certificate.registered.v1'
    ? createEvent(registry, {
        ...base(c),
        type,
        id: `r-${c.version}`,
        data: { certificate: c, changedAt, changedBy: 'tuv' },
      })
    : createEvent(registry, {
        ...base(c),
        type,
        id: `s-${c.version}`,
        data: { certificate: c, changedAt, changedBy: 'tuv', reason: 'audit' },
      });

describe('decideSchedule: when a certificate falls due for evaluation', () => {
  it.each([
    {
      name: 'no entry: nothing to schedule',
      doc: undefined,
      followers: [],
      expected: { kind: 'unchanged', record: undefined },
    },
    {
      name: 'an active certificate with no follower: due at its expiry',
      doc: entry(certificate()),
      followers: [],
      expected: { kind: 'change', next: { scheduled: true, nextDueMs: Date.parse(until), version: 4 } },
    },
    {
      name: 'a follower warned 30 days ahead: due 30 days before the expiry',
      doc: entry(certificate()),
      followers: [{ buyerId: 'globex', thresholdsDays: [30, 7] }],
      expected: {
        kind: 'change',
        next: { scheduled: true, nextDueMs: Date.parse(until) - 30 * DAY, version: 4 },
      },
    },
    {
      name: 'a suspended certificate: nothing due, never scheduled',
      doc: entry(certificate({ state: 'suspended' })),
      followers: [{ buyerId: 'globex', thresholdsDays: [30] }],
      expected: { kind: 'change', next: { scheduled: false, nextDueMs: NEVER, version: 4 } },
    },
    {
      name: 'an open-ended certificate: nothing due',
      doc: entry(certificate({ validUntil: undefined })),
      followers: [{ buyerId: 'globex', thresholdsDays: [30] }],
      expected: { kind: 'change', next: { scheduled: false, nextDueMs: NEVER, version: 4 } },
    },
  ])('$name', ({ doc, followers, expected }) => {
    expect(decideSchedule(doc, followers)).toMatchObject(expected);
  });
});

describe('decideCertificate: the schedule entry after a certificate event', () => {
  it('a new certificate gets an entry that is not due until rescheduled', () => {
    const c = certificate();
    expect(decideCertificate(undefined, changed('org.pdx.certificate.registered.v1', c))).toMatchObject({
      kind: 'change',
      next: {
        id: c.certificateId,
        holder: 'acme',
        certificate: c,
        scheduled: false,
        nextDueMs: NEVER,
        version: 1,
      },
    });
  });

  it('a newer version replaces the certificate and keeps when the entry is due', () => {
    const before = entry(certificate());
    const suspended = certificate({ state: 'suspended', version: 2 });
    expect(decideCertificate(before, changed('org.pdx.certificate.suspended.v1', suspended))).toMatchObject({
      kind: 'change',
      next: { certificate: { state: 'suspended', version: 2 }, scheduled: true, nextDueMs: 42, version: 4 },
    });
  });

  it('the version already known changes nothing and answers no record to reschedule', () => {
    const before = entry(certificate({ version: 2 }));
    expect(
      decideCertificate(before, changed('org.pdx.certificate.registered.v1', certificate({ version: 1 }))),
    ).toEqual({ kind: 'unchanged', record: undefined });
  });
});
