import { PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import type { AlertDoc } from '../alert-records.js';
import { decideAcknowledgement } from './alert-decisions.js';

const now = Date.parse('2027-06-01T12:00:00Z');
const alert = (overrides: Partial<AlertDoc> = {}): AlertDoc => ({
  id: '0b6c1f0e-3c1d-4a7e-9a51-2f1d7f0e8a11',
  buyerId: 'globex',
  kind: 'suspended',
  certificateId: 'eu-aeo-aeos~00000000000000000001',
  holder: 'acme',
  schemeId: 'eu-aeo-aeos',
  number: 'DE AEOS 1',
  occurredAt: '2027-06-01T00:00:00.000Z',
  summary: 'suspended',
  sourceEventId: 'e-1',
  createdAt: '2027-06-01T00:00:01.000Z',
  createdMs: Date.parse('2027-06-01T00:00:01Z'),
  acknowledged: false,
  ...overrides,
});

describe('acknowledging an alert', () => {
  const rows: {
    name: string;
    current: AlertDoc | undefined;
    buyerId: string;
    kind: 'change' | 'unchanged' | 'refused';
    code?: string;
    acknowledgedAt?: string;
  }[] = [
    {
      name: 'the buyer’s own, not yet acknowledged: acknowledged now',
      current: alert(),
      buyerId: 'globex',
      kind: 'change',
      acknowledgedAt: '2027-06-01T12:00:00.000Z',
    },
    {
      name: 'already acknowledged: unchanged, keeping when it was (idempotent)',
      current: alert({ acknowledged: true, acknowledgedAt: '2027-06-01T06:00:00.000Z' }),
      buyerId: 'globex',
      kind: 'unchanged',
      acknowledgedAt: '2027-06-01T06:00:00.000Z',
    },
    {
      name: 'another buyer’s: not found, as if it did not exist',
      current: alert(),
      buyerId: 'hooli',
      kind: 'refused',
      code: 'PDX_ALERT_NOT_FOUND',
    },
    {
      name: 'none: not found',
      current: undefined,
      buyerId: 'globex',
      kind: 'refused',
      code: 'PDX_ALERT_NOT_FOUND',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const alertId = row.current?.id ?? 'nope';
      const d = decideAcknowledgement(row.current, { alertId, buyerId: row.buyerId }, { now });
      expect(d.kind).toBe(row.kind);
      if (d.kind === 'refused') {
        expect(d.error).toBeInstanceOf(PdxError);
        expect((d.error as PdxError).code).toBe(row.code);
        expect(d.error.message).toContain(alertId);
        return;
      }
      const record = d.kind === 'change' ? d.next : d.record;
      expect(record).toEqual({ ...row.current, acknowledged: true, acknowledgedAt: row.acknowledgedAt });
    });
  }
});
