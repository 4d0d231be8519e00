import { type Certificate, type DecisionContext, deterministicEventId, SchemaRegistry } from '@pdx/contracts';
import { attestedCertificate } from '@pdx/read-models/testing';
import { describe, expect, it } from 'vitest';
import type { MarkRecord } from '../schedule/schedule-docs.js';
import { decideMark, type MarkInput } from './lapse-decisions.js';
import { type Milestone, milestones } from './lapse-plan.js';

const DAY = 86_400_000;
const until = Date.parse('2027-01-31T00:00:00Z');
const certificate: Certificate = attestedCertificate({
  validFrom: '2024-01-31T00:00:00Z',
  validUntil: new Date(until).toISOString(),
});
const all = milestones(certificate, [{ buyerId: 'globex', thresholdsDays: [30] }]);
const expiry = all.find((m) => m.kind === 'expired')!;
const warning = all.find((m) => m.kind === 'expiring')!;
const registry = new SchemaRegistry();
/** The scan's time: 29 days and a half before validUntil, so the 30-day warning is due. */
const now = until - 29.5 * DAY;
const context: DecisionContext = { now, source: 'urn:pdx:pdx:certificates', registry };
const input = (milestone: Milestone, outcome: MarkInput['outcome']): MarkInput => ({
  certificate,
  milestone,
  outcome,
  at: new Date(now).toISOString(),
  stagedAtMs: 1_000,
});
const existing = (milestone: Milestone, overrides: Partial<MarkRecord> = {}): MarkRecord => ({
  id: milestone.key,
  certificateId: certificate.certificateId,
  outcome: 'emitted',
  at: new Date(now - DAY).toISOString(),
  stagedAtMs: 0,
  version: 1,
  outbox: [],
  pending: false,
  ...overrides,
});

describe('marking a milestone done', () => {
  const rows: {
    name: string;
    current?: MarkRecord;
    input: MarkInput;
    kind: 'change' | 'unchanged';
    outcome?: MarkRecord['outcome'];
    event?: { type: string; data: Record<string, unknown> };
  }[] = [
    {
      name: 'an expiry due: marked, certificate.expired with the certificate expired at validUntil',
      input: input(expiry, 'emitted'),
      kind: 'change',
      outcome: 'emitted',
      event: {
        type: 'org.pdx.certificate.expired.v1',
        data: {
          certificate: { ...certificate, state: 'expired' },
          changedAt: certificate.validUntil,
          changedBy: 'urn:pdx:pdx:certificates',
        },
      },
    },
    {
      name: 'a buyer’s warning due: marked, certificate.expiring with the whole days left now',
      input: input(warning, 'emitted'),
      kind: 'change',
      outcome: 'emitted',
      event: {
        type: 'org.pdx.certificate.expiring.v1',
        data: {
          certificate,
          buyerId: 'globex',
          thresholdDays: 30,
          dueAt: new Date(until - 30 * DAY).toISOString(),
          daysToExpiry: 29,
        },
      },
    },
    {
      name: 'a warning passed while nobody could warn: marked skipped, no event',
      input: input(warning, 'skipped'),
      kind: 'change',
      outcome: 'skipped',
    },
    {
      name: 'already marked by another replica (its event still pending): left to that replica',
      current: existing(expiry, { outbox: [], pending: true }),
      input: input(expiry, 'emitted'),
      kind: 'unchanged',
    },
    {
      name: 'already marked skipped: a later scan does not publish it after all',
      current: existing(warning, { outcome: 'skipped' }),
      input: input(warning, 'emitted'),
      kind: 'unchanged',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const d = decideMark(row.current, row.input, context);
      expect(d.kind).toBe(row.kind);
      if (d.kind !== 'change') return;
      expect(d.next).toEqual({
        id: row.input.milestone.key,
        certificateId: certificate.certificateId,
        outcome: row.outcome,
        at: row.input.at,
        stagedAtMs: 1_000,
      });
      expect(d.events.map((e) => ({ type: e.type, data: e.data }))).toEqual(row.event ? [row.event] : []);
      for (const e of d.events) {
        // One event per milestone whichever replica publishes it: the id is the idempotency key's.
        expect(e.id).toBe(deterministicEventId('lapse', row.input.milestone.key));
        expect(e).toMatchObject({
          subject: 'acme',
          source: context.source,
          time: new Date(now).toISOString(),
        });
      }
    });
  }
});
