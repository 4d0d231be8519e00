import type { ErrorCode } from './error-catalog.js';

/** One end of a validity window: the RFC 3339 instant as stated, and the JSON pointer of its field. */
export interface WindowBound {
  at: string;
  pointer: string;
}

/**
 * What a signed or claimed document states about when it holds. `until` is absent for a
 * document without an end (an EU AEO authorisation is open-ended); `issuedAt` (milliseconds)
 * only where the signer states a signing time.
 */
export interface ValidityWindow {
  from: WindowBound;
  until?: WindowBound;
  issuedAt?: { at: number; pointer: string };
}

export interface WindowPolicy {
  /** How far ahead of now validity may begin. */
  maxAheadMs: number;
  /** Tolerated clock difference for issuedAt; required when the window has one. */
  skewMs?: number;
}

export type WindowCode = Extract<
  ErrorCode,
  'PDX_VALIDITY_INVERTED' | 'PDX_VALIDITY_EXPIRED' | 'PDX_VALIDITY_TOO_FAR_AHEAD'
>;

/** Why a window does not hold now, with the field at fault. */
export interface WindowViolation {
  code: WindowCode;
  pointer: string;
  detail: string;
}

/** `/validity/until` → `validity.until`: how the detail names a field. */
const fieldName = (pointer: string) => pointer.slice(1).replaceAll('/', '.');

/**
 * Pure: the first reason a validity window does not hold at `now` (ms), in a fixed order —
 * inverted (until not after from), ended, beginning too far ahead, signed in the future
 * beyond the clock skew — or undefined when it holds. Declarations, certificate attestations
 * and certificate claims are checked by this one rule; each caller turns a violation into its
 * own refusal (a verification step, or a PdxError with the pointer).
 */
export function checkValidityWindow(
  window: ValidityWindow,
  now: number,
  policy: WindowPolicy,
): WindowViolation | undefined {
  const from = Date.parse(window.from.at);
  if (window.until !== undefined) {
    const until = Date.parse(window.until.at);
    if (until <= from) {
      return {
        code: 'PDX_VALIDITY_INVERTED',
        pointer: window.until.pointer,
        detail: `${fieldName(window.until.pointer)} is not after ${fieldName(window.from.pointer)}`,
      };
    }
    if (until <= now) {
      return {
        code: 'PDX_VALIDITY_EXPIRED',
        pointer: window.until.pointer,
        detail: `validity ended at ${window.until.at}`,
      };
    }
  }
  if (from > now + policy.maxAheadMs) {
    return {
      code: 'PDX_VALIDITY_TOO_FAR_AHEAD',
      pointer: window.from.pointer,
      detail: `validity begins more than ${Math.round(policy.maxAheadMs / 86_400_000)} days ahead`,
    };
  }
  if (window.issuedAt !== undefined) {
    if (policy.skewMs === undefined) throw new TypeError('a window with issuedAt needs policy.skewMs');
    if (window.issuedAt.at > now + policy.skewMs) {
      return {
        code: 'PDX_VALIDITY_TOO_FAR_AHEAD',
        pointer: window.issuedAt.pointer,
        detail: `${fieldName(window.issuedAt.pointer)} is in the future`,
      };
    }
  }
  return undefined;
}
