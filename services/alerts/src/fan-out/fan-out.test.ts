import {
  type Certificate,
  createEvent,
  deterministicEventId,
  type RecognitionPolicy,
  SchemaRegistry,
} from '@pdx/contracts';
import { attestedCertificate } from '@pdx/read-models/testing';
import { describe, expect, it } from 'vitest';
import type { AlertDoc, BuyerSettingsDoc, SubscriptionDoc } from '../alert-records.js';
import type { AlertDraft } from './alert-draft.js';
import { alertFor, deliveryFor, evolveBuyerSettings } from './fan-out.js';

const registry = new SchemaRegistry();
const policy = (version: number, digestThreshold: number): RecognitionPolicy => ({
  buyerId: 'globex',
  version,
  origin: 'set',
  schemes: ['eu-aeo-aeos'],
  issuers: {},
  alertThresholdsDays: [90, 30],
  digestThreshold,
  catalogueVersion: 2,
  effectiveFrom: '2027-01-01T00:00:00.000Z',
});
const changed = (p: RecognitionPolicy) =>
  createEvent(registry, {
    type: 'org.pdx.recognition-policy.changed.v1',
    subject: 'globex',
    source: 'urn:pdx:test',
    time: Date.parse('2027-01-01T00:00:00Z'),
    data: { policy: p },
  });

describe('evolveBuyerSettings', () => {
  const rows: {
    name: string;
    given: BuyerSettingsDoc | undefined;
    when: RecognitionPolicy;
    expected: BuyerSettingsDoc | undefined;
  }[] = [
    {
      name: "a first policy gives the buyer's digest threshold",
      given: undefined,
      when: policy(1, 5),
      expected: { id: 'globex', version: 1, digestThreshold: 5 },
    },
    {
      name: 'a newer version replaces it',
      given: { id: 'globex', version: 1, digestThreshold: 5 },
      when: policy(2, 10),
      expected: { id: 'globex', version: 2, digestThreshold: 10 },
    },
    {
      name: 'the same version again changes nothing',
      given: { id: 'globex', version: 2, digestThreshold: 10 },
      when: policy(2, 10),
      expected: undefined,
    },
    {
      name: 'an older version changes nothing',
      given: { id: 'globex', version: 3, digestThreshold: 7 },
      when: policy(2, 10),
      expected: undefined,
    },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolveBuyerSettings(given, changed(when))).toEqual(expected);
  });
});

const certificate: Certificate = attestedCertificate();
const created = { at: '2026-10-03T00:00:01.000Z', ms: 1_000 };

describe('alertFor', () => {
  const rows: { name: string; draft: AlertDraft; expected: Partial<AlertDoc> }[] = [
    {
      name: 'a warning says the threshold and the days left',
      draft: {
        kind: 'expiring',
        certificate,
        occurredAt: '2026-10-03T00:00:00Z',
        onlyBuyer: 'globex',
        thresholdDays: 90,
        daysToExpiry: 90,
      },
      expected: {
        kind: 'expiring',
        thresholdDays: 90,
        daysToExpiry: 90,
        validUntil: '2027-01-01T00:00:00Z',
        summary: 'iso-28000 ISO-1 of acme expires in 90 days (2027-01-01T00:00:00Z)',
      },
    },
    {
      name: 'a suspension says its reason; an open-ended certificate has no validUntil',
      draft: {
        kind: 'suspended',
        certificate: { ...certificate, validUntil: undefined, state: 'suspended', version: 2 },
        occurredAt: '2026-10-04T00:00:00Z',
        reason: 'audit',
      },
      expected: { kind: 'suspended', reason: 'audit', occurredAt: '2026-10-04T00:00:00Z' },
    },
  ];
  it.each(rows)('$name', ({ draft, expected }) => {
    const alert = alertFor('e-1', draft, 'globex', created);
    expect(alert).toMatchObject({
      id: deterministicEventId('alert', 'e-1', 'globex'),
      buyerId: 'globex',
      certificateId: certificate.certificateId,
      holder: 'acme',
      schemeId: 'iso-28000',
      number: 'ISO-1',
      sourceEventId: 'e-1',
      createdAt: created.at,
      createdMs: created.ms,
      acknowledged: false,
      ...expected,
    });
    if (draft.certificate.validUntil === undefined) expect(alert).not.toHaveProperty('validUntil');
    // One event, one buyer: one id, so a redelivery inserts nothing new.
    expect(alertFor('e-1', draft, 'globex', created).id).toBe(alert.id);
    expect(alertFor('e-1', draft, 'initech', created).id).not.toBe(alert.id);
  });
});

describe('deliveryFor', () => {
  const alert = alertFor(
    'e-1',
    { kind: 'expired', certificate, occurredAt: '2027-01-01T00:00:00Z' },
    'globex',
    created,
  );
  const subscription = (kinds: SubscriptionDoc['kinds']): SubscriptionDoc => ({
    id: 'sub-1',
    buyerId: 'globex',
    url: 'https://hooks.example.com/pdx',
    kinds,
    createdAt: '2026-01-01T00:00:00Z',
  });
  const at = { at: created.at, dueMs: 3_000 };
  it.each([
    { name: 'a webhook for every kind takes it', kinds: [] as SubscriptionDoc['kinds'], delivered: true },
    {
      name: 'a webhook for this kind takes it',
      kinds: ['expired', 'suspended'] as SubscriptionDoc['kinds'],
      delivered: true,
    },
    {
      name: 'a webhook for other kinds does not',
      kinds: ['suspended'] as SubscriptionDoc['kinds'],
      delivered: false,
    },
  ])('$name', ({ kinds, delivered }) => {
    const delivery = deliveryFor(alert, subscription(kinds), at);
    if (!delivered) {
      expect(delivery).toBeUndefined();
      return;
    }
    expect(delivery).toEqual({
      id: deterministicEventId('delivery', alert.id, 'sub-1'),
      buyerId: 'globex',
      subscriptionId: 'sub-1',
      url: 'https://hooks.example.com/pdx',
      alertIds: [alert.id],
      digest: false,
      state: 'pending',
      attempts: 0,
      nextAttemptMs: 3_000,
      createdAt: created.at,
      version: 1,
    });
  });
});
