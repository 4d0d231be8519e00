import type { PartnerDecision } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { exemptionChange, exemptionOf } from './exemption-change.js';

const decision = (overrides: Partial<PartnerDecision>): PartnerDecision => ({
  buyerId: 'globex',
  partnerId: 'acme',
  status: 'exempt',
  clauses: ['4.4(c)'],
  basis: [{ kind: 'certificate', clause: '4.4(c)', certificateId: 'eu-aeo-aeos~a', schemeId: 'eu-aeo-aeos' }],
  functions: [],
  obligations: [],
  evaluatedAt: '2027-06-01T00:00:00.000Z',
  policyVersion: 0,
  catalogueVersion: 1,
  ...overrides,
});
const onA = { clause: '4.4(c)' as const, certificateIds: ['eu-aeo-aeos~a'] };
const onB = { clause: '4.4(c)' as const, certificateIds: ['eu-aeo-aeos~b'] };

describe('the exemption between two decisions', () => {
  it('is read from an exempt decision only: its clause and certificates, sorted', () => {
    expect(exemptionOf(decision({}))).toEqual(onA);
    expect(
      exemptionOf(
        decision({
          clauses: ['4.3', '4.4(b)'],
          basis: [
            { kind: 'certificate', clause: '4.3', certificateId: 'isps~z', schemeId: 'isps-issc' },
            { kind: 'certificate', clause: '4.3', certificateId: 'isps~m', schemeId: 'isps-issc' },
          ],
        }),
      ),
    ).toEqual({ clause: '4.4(b)', certificateIds: ['isps~m', 'isps~z'] });
    expect(exemptionOf(decision({ status: 'credible', clauses: ['4.2', '4.5'], basis: [] }))).toBeUndefined();
    expect(exemptionOf(undefined)).toBeUndefined();
  });

  it('begins, ends, or stays the same', () => {
    expect(exemptionChange(undefined, onA)).toEqual({ kind: 'granted', exemption: onA });
    expect(exemptionChange(onA, undefined)).toEqual({ kind: 'revoked', exemption: onA });
    expect(exemptionChange(onA, { ...onA, certificateIds: [...onA.certificateIds] })).toBeUndefined();
    expect(exemptionChange(undefined, undefined)).toBeUndefined();
  });

  it('exempt on both sides on another basis is one change of basis, with the old and the new', () => {
    // A renewal with a new certificate, or another recognised certificate taking over.
    expect(exemptionChange(onA, onB)).toEqual({ kind: 'basis-changed', previous: onA, exemption: onB });
    // Another clause on the same certificates is another basis too.
    const asVerified = { clause: '4.4(a)' as const, certificateIds: onA.certificateIds };
    expect(exemptionChange(onA, asVerified)).toEqual({
      kind: 'basis-changed',
      previous: onA,
      exemption: asVerified,
    });
  });

  it('with a decision without an exemption in between (a gap) is a revocation, then a grant', () => {
    const steps = [onA, undefined, onB];
    expect(steps.slice(1).map((after, i) => exemptionChange(steps[i], after)?.kind)).toEqual([
      'revoked',
      'granted',
    ]);
  });
});
