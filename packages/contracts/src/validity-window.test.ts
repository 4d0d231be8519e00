import { describe, expect, it } from 'vitest';
import { checkValidityWindow, type ValidityWindow } from './validity-window.js';

const now = Date.parse('2027-01-01T00:00:00Z');
const policy = { maxAheadMs: 30 * 86_400_000, skewMs: 300_000 };
// A declaration's fields (nested) and an attestation's (flat): the detail names each as stated.
const declaration = (from: string, until: string, issuedAt = now): ValidityWindow => ({
  from: { at: from, pointer: '/validity/from' },
  until: { at: until, pointer: '/validity/until' },
  issuedAt: { at: issuedAt, pointer: '/issuedAt' },
});
const attestation = (from: string, until?: string): ValidityWindow => ({
  from: { at: from, pointer: '/validFrom' },
  ...(until === undefined ? {} : { until: { at: until, pointer: '/validUntil' } }),
});

describe('checkValidityWindow', () => {
  it.each([
    {
      given: 'a window in force',
      window: declaration('2026-12-01T00:00:00Z', '2027-06-01T00:00:00Z'),
      expected: undefined,
    },
    {
      given: 'an open-ended window that began',
      window: attestation('2020-01-01T00:00:00Z'),
      expected: undefined,
    },
    {
      given: 'until before from (nested fields)',
      window: declaration('2027-03-01T00:00:00Z', '2027-02-01T00:00:00Z'),
      expected: {
        code: 'PDX_VALIDITY_INVERTED',
        pointer: '/validity/until',
        detail: 'validity.until is not after validity.from',
      },
    },
    {
      given: 'until equal to from (flat fields)',
      window: attestation('2027-03-01T00:00:00Z', '2027-03-01T00:00:00Z'),
      expected: {
        code: 'PDX_VALIDITY_INVERTED',
        pointer: '/validUntil',
        detail: 'validUntil is not after validFrom',
      },
    },
    {
      given: 'a window that ended exactly now',
      window: attestation('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
      expected: {
        code: 'PDX_VALIDITY_EXPIRED',
        pointer: '/validUntil',
        detail: 'validity ended at 2027-01-01T00:00:00Z',
      },
    },
    {
      given: 'an inverted window that also ended: inverted is said first',
      window: declaration('2026-06-01T00:00:00Z', '2026-05-01T00:00:00Z'),
      expected: {
        code: 'PDX_VALIDITY_INVERTED',
        pointer: '/validity/until',
        detail: 'validity.until is not after validity.from',
      },
    },
    {
      given: 'a window beginning beyond the look-ahead',
      window: attestation('2027-02-01T00:00:00Z'),
      expected: {
        code: 'PDX_VALIDITY_TOO_FAR_AHEAD',
        pointer: '/validFrom',
        detail: 'validity begins more than 30 days ahead',
      },
    },
    {
      given: 'a window beginning exactly at the look-ahead',
      window: attestation('2027-01-31T00:00:00Z'),
      expected: undefined,
    },
    {
      given: 'a signing time beyond the clock skew',
      window: declaration('2026-12-01T00:00:00Z', '2027-06-01T00:00:00Z', now + 300_001),
      expected: {
        code: 'PDX_VALIDITY_TOO_FAR_AHEAD',
        pointer: '/issuedAt',
        detail: 'issuedAt is in the future',
      },
    },
    {
      given: 'a signing time within the clock skew',
      window: declaration('2026-12-01T00:00:00Z', '2027-06-01T00:00:00Z', now + 300_000),
      expected: undefined,
    },
  ])('$given', ({ window, expected }) => {
    expect(checkValidityWindow(window, now, policy)).toEqual(expected);
  });

  it('needs the clock skew when the window states a signing time (a caller bug)', () => {
    expect(() =>
      checkValidityWindow(declaration('2026-12-01T00:00:00Z', '2027-06-01T00:00:00Z'), now, {
        maxAheadMs: 1,
      }),
    ).toThrow(TypeError);
  });
});
