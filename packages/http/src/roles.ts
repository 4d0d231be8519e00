import { PdxError } from '@pdx/contracts';
import type { Principal } from './auth.js';

export type PartyRole = 'partner' | 'buyer' | 'issuer';

/**
 * The one refusal for "this needs a party of this role": PDX_ROLE_REQUIRED (403), saying
 * what needs it. `role` undefined: any party (an operator, who acts for no party, is refused).
 */
export function roleRequired(what: string, role?: PartyRole): PdxError {
  return new PdxError(
    'PDX_ROLE_REQUIRED',
    role === undefined
      ? `${what} is done by a party, not an operator`
      : `${what} needs a party with the role ${role}`,
  );
}

/**
 * The calling party's id, when the caller is a party (holding `role` as its token says, when one
 * is named); otherwise the refusal of {@link roleRequired}. A check against the registry's
 * current roles, where one is needed, is the use case's.
 */
export function requireRole(caller: Principal, what: string, role?: PartyRole): string {
  if (caller.kind !== 'party' || (role !== undefined && !caller.roles.includes(role))) {
    throw roleRequired(what, role);
  }
  return caller.id;
}
