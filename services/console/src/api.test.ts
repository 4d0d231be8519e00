import { describe, expect, it } from 'vitest';
import { fieldErrors, fillPath } from './api.js';

describe('API answers in the console', () => {
  it('puts each violation next to the field its pointer names', () => {
    const problem = {
      type: 'urn:pdx:problem:request-invalid',
      title: 'The request does not match its JSON Schema',
      status: 400,
      code: 'PDX_REQUEST_INVALID',
      errors: [
        { pointer: '/country', detail: 'must match pattern ^[A-Z]{2}$' },
        { pointer: '/jwks/keys/0/d', detail: 'private key member' },
        { pointer: '/unknown', detail: 'must NOT have additional properties' },
      ],
    };
    expect(fieldErrors(problem, ['/country', '/jwks', '/jwks/keys'])).toEqual({
      '/country': 'must match pattern ^[A-Z]{2}$',
      '/jwks/keys': 'private key member',
      form: 'must NOT have additional properties',
    });
    expect(
      fieldErrors(
        {
          type: 't',
          title: 'Conflict',
          status: 409,
          code: 'PDX_PARTY_CONFLICT',
          pointer: '/legalName',
          detail: 'differs',
        },
        ['/legalName'],
      ),
    ).toEqual({ '/legalName': 'differs' });
  });

  it('fills path templates with percent-encoded values', () => {
    expect(fillPath('/v1/parties/{partyId}', { partyId: 'a b/c' })).toBe('/v1/parties/a%20b%2Fc');
    expect(() => fillPath('/v1/parties/{partyId}')).toThrow(/no value for \{partyId\}/);
  });
});
