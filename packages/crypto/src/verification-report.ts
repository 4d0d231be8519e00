import type { ErrorCode } from '@pdx/contracts';

/** The checks a verification reports on, always in this order. */
export const checkNames = [
  'signature',
  'key-valid-at-signing-time',
  'schema',
  'issuer',
  'validity-window',
] as const;
export type CheckName = (typeof checkNames)[number];

/**
 * VALID / INVALID: the check ran and passed or failed; ERROR: it could not run (a key that
 * does not import); SKIPPED: an earlier check failed, so this one was not run.
 */
export type CheckStatus = 'VALID' | 'INVALID' | 'ERROR' | 'SKIPPED';

export interface CheckResult {
  check: CheckName;
  status: CheckStatus;
  /** Stable code of an INVALID or ERROR result. */
  code?: ErrorCode;
  detail?: string;
}

export interface VerificationReport {
  verdict: 'VALID' | 'INVALID';
  checks: CheckResult[];
}

/** One result per check, in order; checks never reached are SKIPPED. */
export function buildReport(results: readonly CheckResult[]): VerificationReport {
  const byName = new Map(results.map((r) => [r.check, r]));
  const checks = checkNames.map((check) => byName.get(check) ?? { check, status: 'SKIPPED' as const });
  return { verdict: checks.every((c) => c.status === 'VALID') ? 'VALID' : 'INVALID', checks };
}
