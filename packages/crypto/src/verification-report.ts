import { type ErrorCode, PdxError, type Violation } from '@pdx/contracts';

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

/** A refusal carrying the full report, so the submitter sees every check's outcome. */
export class VerificationRefused extends PdxError {
  readonly report: VerificationReport;
  constructor(
    code: ErrorCode,
    message: string,
    report: VerificationReport,
    violations?: readonly Violation[],
  ) {
    super(code, message, { ...(violations ? { violations } : {}), extensions: { verification: report } });
    this.report = report;
  }
}

/** Ends a verification at a failed check: the report so far, later checks SKIPPED. */
export function refuse(results: CheckResult[], last: CheckResult, violations?: readonly Violation[]): never {
  const report = buildReport([...results, last]);
  throw new VerificationRefused(last.code!, `${last.check}: ${last.detail ?? last.code}`, report, violations);
}
