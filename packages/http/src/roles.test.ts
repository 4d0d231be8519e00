import { describe, expect, it } from 'vitest';
import type { Principal } from './auth.js';
import { requireRole } from './roles.js';

const buyer: Principal = { kind: 'party', id: 'urn:pdx:party:lei:5493001KJTIIGC8Y1R12', roles: ['buyer'] };
const operator: Principal = { kind: 'operator', id: 'ops', roles: [] };

describe('requireRole: one refusal for a missing role', () => {
  it.each([
    { caller: buyer, role: undefined, answer: buyer.id },
    { caller: buyer, role: 'buyer' as const, answer: buyer.id },
    { caller: buyer, role: 'issuer' as const, refused: 'attesting needs a party with the role issuer' },
    { caller: operator, role: undefined, refused: 'attesting is done by a party, not an operator' },
    { caller: operator, role: 'buyer' as const, refused: 'attesting needs a party with the role buyer' },
  ])('$caller.kind, role $role', ({ caller, role, answer, refused }) => {
    if (answer) expect(requireRole(caller, 'attesting', role)).toBe(answer);
    else
      expect(() => requireRole(caller, 'attesting', role)).toThrow(
        expect.objectContaining({ code: 'PDX_ROLE_REQUIRED', message: refused }),
      );
  });
});
