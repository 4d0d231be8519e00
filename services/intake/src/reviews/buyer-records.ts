import { PdxError, relationshipId } from '@pdx/contracts';
import { type Principal, requireRole, roleRequired } from '@pdx/http';
import type { DeclarationDeps } from '../declarations/submit-declaration.js';

/**
 * The caller is a registered buyer and `partnerId` accepted its business relationship:
 * the condition for recording anything about a partner (reviews, incidents).
 */
export async function requireLinkedBuyer(
  deps: DeclarationDeps,
  caller: Principal,
  partnerId: string,
  what: string,
): Promise<string> {
  const buyerId = requireRole(caller, `recording ${what}`);
  // The registry's roles, not the token's: a role is checked as it stands now.
  const buyer = await deps.parties.get(buyerId);
  if (!buyer?.registration.roles.includes('buyer')) throw roleRequired(`recording ${what}`, 'buyer');
  if ((await deps.relationships.get(relationshipId(buyerId, partnerId)))?.state !== 'accepted') {
    throw new PdxError(
      'PDX_PARTNER_NOT_LINKED',
      `${partnerId} has not accepted a business relationship with you`,
      { pointer: '/partnerId' },
    );
  }
  return buyerId;
}
