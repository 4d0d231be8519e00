import { type Certificate, createEvent, SchemaRegistry } from '@pdx/contracts';
import { attestedCertificate } from '@pdx/read-models/testing';
import { describe, expect, it } from 'vitest';
import { draftFor, summaryOf } from './alert-draft.js';

const registry = new SchemaRegistry();
const certificate: Certificate = attestedCertificate();
const base = { subject: 'acme', source: 'urn:pdx:test', time: Date.parse('2026-10-03T00:00:00Z') };

describe('alert drafts', () => {
  it('addresses a lapse warning to its buyer only', () => {
    const draft = draftFor(
      createEvent(registry, {
        ...base,
        type: 'org.pdx.certificate.expiring.v1',
        data: {
          certificate,
          buyerId: 'globex',
          thresholdDays: 90,
          dueAt: '2026-10-03T00:00:00Z',
          daysToExpiry: 90,
        },
      }),
    );
    expect(draft).toMatchObject({ kind: 'expiring', onlyBuyer: 'globex', thresholdDays: 90 });
    expect(summaryOf(draft!)).toBe('iso-28000 ISO-1 of acme expires in 90 days (2027-01-01T00:00:00Z)');
  });

  it('addresses lifecycle changes to every linked buyer, with the reason', () => {
    const draft = draftFor(
      createEvent(registry, {
        ...base,
        type: 'org.pdx.certificate.suspended.v1',
        data: {
          certificate: { ...certificate, state: 'suspended' },
          changedAt: '2026-10-03T00:00:00Z',
          changedBy: 'tuv',
          reason: 'audit',
        },
      }),
    );
    expect(draft).toMatchObject({ kind: 'suspended', reason: 'audit' });
    expect(draft!.onlyBuyer).toBeUndefined();
  });

  it('makes no alert of registrations and confirmations', () => {
    const registered = createEvent(registry, {
      ...base,
      type: 'org.pdx.certificate.registered.v1',
      data: { certificate, changedAt: '2026-10-03T00:00:00Z', changedBy: 'tuv' },
    });
    expect(draftFor(registered)).toBeUndefined();
  });
});
