import type { KeyState, PublicJwk } from '@pdx/contracts';
import { DECLARATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { verificationNow } from './declaration-verification.js';

const VALID = {
  verdict: 'VALID' as const,
  checks: (['signature', 'key-valid-at-signing-time', 'schema', 'issuer', 'validity-window'] as const).map(
    (check) => ({ check, status: 'VALID' as const }),
  ),
};
let signer: { privateJwk: PrivateJwk; publicJwk: PublicJwk };
let jws: string;
beforeAll(async () => {
  signer = await generateSigningKey('EdDSA', 'acme-1');
  jws = await signCompact('{"declarationId":"dos-1"}', signer.privateJwk, DECLARATION_TYP);
});
/** Signed (as stated) on 1 May, received by the exchange on `submittedAt`. */
const declaration = (submittedAt = '2027-05-01T00:00:10.000Z') => ({
  jws,
  submittedAt,
  verification: VALID,
  declaration: { issuedAt: '2027-05-01T00:00:00.000Z' },
});
const key = (revokedFrom?: string, reason?: KeyState['revocationReason']): KeyState => ({
  jwk: signer.publicJwk,
  addedAt: '2027-01-01T00:00:00.000Z',
  ...(revokedFrom ? { revokedFrom, revokedAt: '2027-06-01T00:00:00.000Z', revocationReason: reason } : {}),
});

describe("a declaration's verification report, as it stands with the issuer's keys now", () => {
  it('stays as intake made it while the key is not revoked, or not known here', () => {
    expect(verificationNow(declaration(), [key()])).toEqual(VALID);
    expect(verificationNow(declaration(), undefined)).toEqual(VALID);
  });

  it('fails the key check with PDX_KEY_REVOKED once the key is compromised from before the signing', () => {
    const report = verificationNow(declaration(), [key('2027-04-01T00:00:00.000Z', 'compromised')]);
    expect(report.verdict).toBe('INVALID');
    expect(report.checks.map((c) => `${c.check}:${c.status}`)).toEqual([
      'signature:VALID',
      'key-valid-at-signing-time:INVALID',
      'schema:SKIPPED',
      'issuer:SKIPPED',
      'validity-window:SKIPPED',
    ]);
    expect(report.checks[1]).toMatchObject({ code: 'PDX_KEY_REVOKED' });
    expect(report.checks[1]!.detail).toContain('revoked (compromised) from 2027-04-01T00:00:00.000Z');
  });

  it('fails it when a compromised key signed something the exchange only received after the compromise', () => {
    const late = declaration('2027-05-20T00:00:00.000Z');
    const report = verificationNow(late, [key('2027-05-10T00:00:00.000Z', 'compromised')]);
    expect(report.checks[1]).toMatchObject({ status: 'INVALID', code: 'PDX_KEY_REVOKED' });
    expect(verificationNow(late, [key('2027-05-10T00:00:00.000Z', 'superseded')]).verdict).toBe('VALID');
  });

  it('stays VALID for a key revoked after the signing, and says so', () => {
    const report = verificationNow(declaration(), [key('2027-05-10T00:00:00.000Z', 'superseded')]);
    expect(report.verdict).toBe('VALID');
    expect(report.checks[1]).toEqual({
      check: 'key-valid-at-signing-time',
      status: 'VALID',
      detail:
        "signed at 2027-05-01T00:00:00.000Z, before the key's revocation (superseded) from 2027-05-10T00:00:00.000Z",
    });
  });

  it('fails the key check with PDX_KEY_NOT_FOR_SIGNING for a key registered for authentication only', () => {
    const report = verificationNow(declaration(), [{ ...key(), purposes: ['authentication'] }]);
    expect(report.verdict).toBe('INVALID');
    expect(report.checks[1]).toMatchObject({ status: 'INVALID', code: 'PDX_KEY_NOT_FOR_SIGNING' });
    expect(report.checks.slice(2).every((c) => c.status === 'SKIPPED')).toBe(true);
    expect(verificationNow(declaration(), [{ ...key(), purposes: ['signing'] }])).toEqual(VALID);
  });
});
