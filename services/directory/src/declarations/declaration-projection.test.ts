import type { DeclarationOfSecurity, DeclarationView, EventOf } from '@pdx/contracts';

type VerificationReport = DeclarationView['verification'];

import { describe, expect, it } from 'vitest';
import { type DeclarationDoc, evolveDeclaration, supersededBy } from './declaration-projection.js';

const VALID: VerificationReport = {
  verdict: 'VALID',
  checks: [{ check: 'signature', status: 'VALID' }],
};
const submitted = (declarationId: string, supersedes?: string): EventOf<'org.pdx.declaration.submitted.v1'> =>
  ({
    specversion: '1.0',
    id: `e-${declarationId}`,
    source: 'urn:pdx:pdx:intake',
    type: 'org.pdx.declaration.submitted.v1',
    subject: 'acme',
    time: '2027-05-01T00:00:10.000Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:pdx:schema:event:declaration.submitted.v1',
    data: {
      declarationId,
      issuer: 'acme',
      recipients: ['globex'],
      jws: `jws-of-${declarationId}`,
      declaration: { declarationId, issuer: 'acme' } as DeclarationOfSecurity,
      contentHash: 'h'.repeat(43),
      submittedAt: '2027-05-01T00:00:10.000Z',
      verification: VALID,
      ...(supersedes === undefined ? {} : { supersedes }),
    },
  }) as EventOf<'org.pdx.declaration.submitted.v1'>;

const doc = (declarationId: string, extra: Partial<DeclarationDoc> = {}): DeclarationDoc => ({
  id: `acme~${declarationId}`,
  declarationId,
  issuer: 'acme',
  recipients: ['globex'],
  jws: `jws-of-${declarationId}`,
  declaration: { declarationId, issuer: 'acme' } as DeclarationOfSecurity,
  contentHash: 'h'.repeat(43),
  submittedAt: '2027-05-01T00:00:10.000Z',
  verification: VALID,
  state: 'current',
  ...extra,
});

describe('evolveDeclaration', () => {
  const rows: {
    name: string;
    given: DeclarationDoc | undefined;
    when: EventOf<'org.pdx.declaration.submitted.v1'>;
    expected: DeclarationDoc;
  }[] = [
    {
      name: 'a declaration is kept as submitted, current',
      given: undefined,
      when: submitted('dos-1'),
      expected: doc('dos-1'),
    },
    {
      name: 'one that supersedes another says which',
      given: undefined,
      when: submitted('dos-2', 'dos-1'),
      expected: doc('dos-2', { supersedes: 'dos-1' }),
    },
    {
      name: 'seen again, it is the same',
      given: doc('dos-1'),
      when: submitted('dos-1'),
      expected: doc('dos-1'),
    },
    {
      name: 'one already superseded (its successor seen first) stays superseded',
      given: doc('dos-1', { state: 'superseded', supersededBy: 'dos-2' }),
      when: submitted('dos-1'),
      expected: doc('dos-1', { state: 'superseded', supersededBy: 'dos-2' }),
    },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolveDeclaration(given, when)).toEqual(expected);
  });
});

describe('supersededBy', () => {
  it('marks the declaration a newer one supersedes, and a repeat marks it the same', () => {
    const marked = supersededBy(doc('dos-1'), submitted('dos-2', 'dos-1'));
    expect(marked).toEqual(doc('dos-1', { state: 'superseded', supersededBy: 'dos-2' }));
    expect(supersededBy(marked, submitted('dos-2', 'dos-1'))).toEqual(marked);
  });
});
