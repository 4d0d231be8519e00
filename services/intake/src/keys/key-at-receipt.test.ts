import {
  DECLARATION_TYP,
  generateSigningKey,
  type KeyRecord,
  signCompact,
  VerificationRefused,
} from '@pdx/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkKeyAtReceipt, receiptTime } from './key-at-receipt.js';

const HOUR = 3_600_000;
const t0 = Date.parse('2027-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const report = {
  verdict: 'VALID' as const,
  checks: (['signature', 'key-valid-at-signing-time', 'schema', 'issuer', 'validity-window'] as const).map(
    (check) => ({ check, status: 'VALID' as const }),
  ),
};

/** What checkKeyAtReceipt throws, or 'stands'. */
const outcome = (f: () => void) => {
  try {
    f();
    return 'stands';
  } catch (error) {
    return error as VerificationRefused;
  }
};

describe('the key at receipt', () => {
  let jws: string;
  let key: KeyRecord;
  const revoked = (reason: 'compromised' | 'superseded', from: number): KeyRecord[] => [
    { ...key, revokedFrom: iso(from), revocationReason: reason },
  ];
  beforeAll(async () => {
    const k = await generateSigningKey('EdDSA', 'acme-1');
    key = { jwk: k.publicJwk, addedAt: iso(t0 - 1000 * HOUR) };
    jws = await signCompact('{"declarationId":"dos-2"}', k.privateJwk, DECLARATION_TYP);
  });

  it('refuses a signature a compromised key makes now, whatever earlier signing time it states', () => {
    // Given a key compromised from T; When a signature stating a time before T arrives after T.
    const refused = outcome(() =>
      checkKeyAtReceipt({ jws, report }, revoked('compromised', t0), t0 - HOUR, t0 + HOUR),
    );
    // Then PDX_KEY_REVOKED, naming the revocation, at the stated signing time.
    expect(refused).toBeInstanceOf(VerificationRefused);
    const error = refused as VerificationRefused;
    expect(error.code).toBe('PDX_KEY_REVOKED');
    expect(error.message).toContain(`key "acme-1" is compromised from ${iso(t0)}`);
    expect(error.pointer).toBe('/issuedAt');
    expect(error.report).toEqual({
      verdict: 'INVALID',
      checks: [
        { check: 'signature', status: 'VALID' },
        expect.objectContaining({
          check: 'key-valid-at-signing-time',
          status: 'INVALID',
          code: 'PDX_KEY_REVOKED',
        }),
        { check: 'schema', status: 'SKIPPED' },
        { check: 'issuer', status: 'SKIPPED' },
        { check: 'validity-window', status: 'SKIPPED' },
      ],
    });
  });

  it('refuses with PDX_KEY_NOT_FOR_SIGNING, and no pointer, a signature by a key for authentication only', () => {
    const signIn: KeyRecord[] = [{ ...key, purposes: ['authentication'] }];
    const refused = outcome(() => checkKeyAtReceipt({ jws, report }, signIn, t0 - HOUR, t0));
    expect(refused).toBeInstanceOf(VerificationRefused);
    expect((refused as VerificationRefused).code).toBe('PDX_KEY_NOT_FOR_SIGNING');
    // The signing time is not what is wrong: no pointer at /issuedAt.
    expect((refused as VerificationRefused).pointer).toBeUndefined();
  });

  it('lets stand what reached the exchange before the compromise, and keys merely superseded', () => {
    expect(
      outcome(() => checkKeyAtReceipt({ jws, report }, revoked('compromised', t0), t0 - 2 * HOUR, t0 - HOUR)),
    ).toBe('stands');
    expect(
      outcome(() => checkKeyAtReceipt({ jws, report }, revoked('superseded', t0), t0 - HOUR, t0 + HOUR)),
    ).toBe('stands');
    expect(outcome(() => checkKeyAtReceipt({ jws, report }, [key], t0 - HOUR, t0 + HOUR))).toBe('stands');
    // No receipt time: nothing new reaches the exchange, nothing to check.
    expect(
      outcome(() => checkKeyAtReceipt({ jws, report }, revoked('compromised', t0), t0 - HOUR, undefined)),
    ).toBe('stands');
  });

  it('checks a new object at its receipt, and a resubmission at its first receipt', () => {
    const now = t0 + 5 * HOUR;
    expect(receiptTime(undefined, 'h1', now)).toBe(now);
    expect(receiptTime({ contentHash: 'h1', receivedAt: iso(t0 - HOUR) }, 'h2', now)).toBe(now);
    expect(receiptTime({ contentHash: 'h1', receivedAt: iso(t0 - HOUR) }, 'h1', now)).toBe(t0 - HOUR);
    // A record made before receipt times were kept: answered as before.
    expect(receiptTime({ contentHash: 'h1' }, 'h1', now)).toBeUndefined();
    const compromised = revoked('compromised', t0);
    const resent = (receivedAt: number) => () =>
      checkKeyAtReceipt(
        { jws, report },
        compromised,
        t0 - 3 * HOUR,
        receiptTime({ contentHash: 'h1', receivedAt: iso(receivedAt) }, 'h1', now),
      );
    // Received before the compromise began: the same, valid object, whenever it is sent again.
    expect(outcome(resent(t0 - 2 * HOUR))).toBe('stands');
    // Received after it (before the revocation was known): it never counted, and intake says so now.
    expect((outcome(resent(t0 + HOUR)) as VerificationRefused).code).toBe('PDX_KEY_REVOKED');
  });
});
