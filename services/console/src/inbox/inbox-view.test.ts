import { describe, expect, it } from 'vitest';
import type { Alert } from './alert-stream.js';
import { alertText, alertTodo, deliveryErrorText, mergeAlerts } from './alert-words.js';
import {
  type CertificateView,
  daysLeftText,
  expiriesByMonth,
  lookupText,
  sortCertificates,
  trustText,
} from './certificates-view.js';
import { overdueText, type ReviewTaskEntry, reasonText, sortTasks } from './review-tasks-view.js';

const view = (
  number: string,
  over: {
    validUntil?: string;
    days?: number;
    state?: CertificateView['effectiveState'];
    holder?: string;
  } = {},
): CertificateView => ({
  certificate: {
    certificateId: `iso-28000~${number}`,
    schemeId: 'iso-28000',
    number,
    holder: over.holder ?? 'acme',
    trust: 'attested',
    issuer: 'tuv',
    scope: { functions: ['warehouse'] },
    validFrom: '2026-01-01T00:00:00.000Z',
    ...(over.validUntil ? { validUntil: over.validUntil } : {}),
    state: 'active',
    confirmations: [],
    version: 1,
  } as CertificateView['certificate'],
  effectiveState: over.state ?? 'active',
  ...(over.days === undefined ? {} : { daysToExpiry: over.days }),
  asOf: '2026-12-15T00:00:00.000Z',
});

describe('the certificates page', () => {
  it('lists those in force by days left (open-ended after), then the lapsed ones', () => {
    const sorted = sortCertificates([
      view('OPEN'),
      view('GONE', { days: -5, state: 'expired' }),
      view('LATER', { days: 200 }),
      view('WITHDRAWN', { days: 10, state: 'withdrawn' }),
      view('SOON', { days: 3, state: 'suspended' }),
    ]);
    expect(sorted.map((v) => v.certificate.number)).toEqual(['SOON', 'LATER', 'OPEN', 'GONE', 'WITHDRAWN']);
  });

  it('says the days left in words', () => {
    expect([12, 1, 0, -1, -3, undefined].map(daysLeftText)).toEqual([
      '12 days left',
      '1 day left',
      'expires today',
      'expired 1 day ago',
      'expired 3 days ago',
      'no end date',
    ]);
    expect(trustText(view('X'))).toBe('attested by tuv');
  });

  it('counts expiries per calendar month for the next 12 months, only of certificates in force', () => {
    const now = Date.parse('2026-12-15T12:00:00Z');
    const months = expiriesByMonth(
      [
        view('PAST', { validUntil: '2026-12-01T12:00:00Z', days: -14 }),
        view('DEC', { validUntil: '2026-12-20T12:00:00Z', days: 5 }),
        view('JAN1', { validUntil: '2027-01-10T12:00:00Z', days: 26 }),
        view('JAN2', { validUntil: '2027-01-25T12:00:00Z', days: 41 }),
        view('SUSP', { validUntil: '2027-03-10T12:00:00Z', days: 85, state: 'suspended' }),
        view('WITHDRAWN', { validUntil: '2027-03-10T12:00:00Z', days: 85, state: 'withdrawn' }),
        view('NOV', { validUntil: '2027-11-20T12:00:00Z', days: 340 }),
        view('TOO-LATE', { validUntil: '2027-12-02T12:00:00Z', days: 352 }),
        view('OPEN'),
      ],
      now,
      'en-GB',
    );
    expect(months).toHaveLength(12);
    expect(months[0]!.label).toBe('Dec 2026');
    expect(months[11]!.label).toBe('Nov 2027');
    expect([months[1]!.month, months[1]!.year]).toEqual(['Jan', '2027']);
    expect(months.map((m) => m.count)).toEqual([1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('the certificate lookup', () => {
  it('says whether the exchange knows the certificate, who holds it and whether it is in force', () => {
    expect(
      lookupText({ schemeId: 'iso-28000', number: 'X-1', found: false, asOf: '2026-12-15T00:00:00Z' }),
    ).toEqual(['The exchange knows no iso-28000 certificate numbered X-1.']);
    const lines = lookupText({
      schemeId: 'iso-28000',
      number: 'X-1',
      found: true,
      holder: 'acme',
      trust: 'claimed',
      effectiveState: 'suspended',
      daysToExpiry: 40,
      keyCheck: { check: 'key-valid-at-signing-time', status: 'INVALID' },
      asOf: '2026-12-15T00:00:00Z',
    });
    expect(lines.slice(0, 3)).toEqual([
      'X-1 (iso-28000) is held by acme: suspended, 40 days left.',
      'Claimed by its holder, not attested by an issuer.',
      'The issuer’s key was revoked: this attestation grounds nothing.',
    ]);
    expect(lines[3]).toMatch(/^As the exchange knew it on /);
  });
});

const alert = (over: Partial<Alert>): Alert => ({
  alertId: '00000000-0000-4000-8000-000000000001',
  buyerId: 'globex',
  kind: 'suspended',
  certificateId: 'iso-28000~x',
  holder: 'acme',
  schemeId: 'iso-28000',
  number: 'ISO-1',
  occurredAt: '2026-12-01T00:00:00.000Z',
  summary: 's',
  sourceEventId: 'e',
  createdAt: '2026-12-01T00:00:00.000Z',
  acknowledged: false,
  ...over,
});

describe('the alerts page', () => {
  it('says what happened to which partner’s certificate, and what to do', () => {
    expect(alertText(alert({}))).toBe('The issuer suspended acme’s certificate ISO-1 (iso-28000).');
    expect(alertTodo(alert({}))).toMatch(/check acme’s status/);
    expect(
      alertText(alert({ kind: 'expiring', validUntil: '2027-01-30T00:00:00Z', daysToExpiry: 30 }), 'en-GB'),
    ).toBe('acme’s certificate ISO-1 (iso-28000) expires in 30 days, on 30 Jan 2027.');
    expect(alertText(alert({ kind: 'expired', validUntil: '2026-12-01T00:00:00Z' }), 'en-GB')).toBe(
      'acme’s certificate ISO-1 (iso-28000) expired on 1 Dec 2026.',
    );
    expect(alertText(alert({ kind: 'renewed' }))).toBe('acme’s certificate ISO-1 (iso-28000) was renewed.');
    expect(alertTodo(alert({ kind: 'reinstated' }))).toBe('Nothing to do: the certificate counts again.');
  });

  it('merges live alerts into the inbox once each, newest first, keeping an acknowledgement', () => {
    const a = alert({ alertId: 'a', createdAt: '2026-12-01T00:00:00Z' });
    const b = alert({ alertId: 'b', createdAt: '2026-12-02T00:00:00Z' });
    const aAcknowledged = { ...a, acknowledged: true, acknowledgedAt: '2026-12-03T00:00:00Z' };
    expect(mergeAlerts([aAcknowledged], [b, a]).map((x) => [x.alertId, x.acknowledged])).toEqual([
      ['b', false],
      ['a', true],
    ]);
    expect(mergeAlerts([a], [aAcknowledged])[0]!.acknowledged).toBe(true);
  });

  it('says why a delivery failed for good', () => {
    const dead = {
      deliveryId: 'd',
      subscriptionId: 's',
      url: 'https://hooks.example.com/pdx',
      alertIds: ['a'],
      digest: false,
      state: 'dead' as const,
      attempts: 12,
      createdAt: '2026-12-01T00:00:00Z',
    };
    expect(deliveryErrorText({ ...dead, lastStatus: 503, lastError: 'Service Unavailable' })).toBe(
      'HTTP 503: Service Unavailable',
    );
    expect(deliveryErrorText({ ...dead, lastError: 'connect ECONNREFUSED' })).toBe('connect ECONNREFUSED');
  });
});

const task = (partnerId: string, dueAt: string, overdue: boolean): ReviewTaskEntry => ({
  taskId: `t-${partnerId}`,
  partnerId,
  state: 'open',
  overdue,
  openedAt: '2026-11-01T00:00:00Z',
  task: { declarationId: 'dos-1', method: 'document-review', riskTier: 'low', dueAt, reason: 'first-review' },
});

describe('the reviews owed', () => {
  it('puts the one due soonest first and counts the overdue ones', () => {
    const tasks = sortTasks([
      task('b', '2027-01-10T00:00:00Z', false),
      task('a', '2026-11-10T00:00:00Z', true),
    ]);
    expect(tasks.map((x) => x.partnerId)).toEqual(['a', 'b']);
    expect(overdueText(tasks)).toBe('1 overdue');
    expect(overdueText([tasks[1]!])).toBeUndefined();
    expect(reasonText(tasks[0]!)).toBe('First review of declaration dos-1');
  });
});
