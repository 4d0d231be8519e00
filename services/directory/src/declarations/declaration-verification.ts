import type { DeclarationView, KeyState } from '@pdx/contracts';
import { buildReport, type CheckResult, recheckSigningKey } from '@pdx/crypto';

type Report = DeclarationView['verification'];

/**
 * Pure: a declaration's verification report as it stands now. Intake verified every check
 * on arrival; the key check is run again with the issuer's keys as they are now, because a
 * revocation recorded since may reach back before the signature (a compromise found
 * later). A key revoked from before the declaration was signed — or, compromised, from
 * before the exchange received it — fails it with PDX_KEY_REVOKED, and the later checks
 * read SKIPPED as in any refusal: from then on the declaration grounds no status. A key
 * revoked after the signing leaves the report VALID, its detail saying so. Keys not known
 * (yet) leave the report as intake made it.
 */
export function verificationNow(
  declaration: Pick<DeclarationView, 'jws' | 'submittedAt' | 'verification'> & {
    declaration: { issuedAt: string };
  },
  keys: readonly KeyState[] | undefined,
): Report {
  const stored = declaration.verification;
  if (keys === undefined || stored.verdict !== 'VALID') return stored;
  const keyCheck = recheckSigningKey(
    declaration.jws,
    keys,
    Date.parse(declaration.declaration.issuedAt),
    Date.parse(declaration.submittedAt),
  );
  if (!keyCheck) return stored;
  if (keyCheck.status === 'VALID') {
    return {
      ...stored,
      checks: stored.checks.map((c) => (c.check === keyCheck.check ? keyCheck : c)),
    };
  }
  const before = stored.checks.filter((c) => c.check === 'signature') as CheckResult[];
  return buildReport([...before, keyCheck]);
}
