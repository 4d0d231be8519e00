import { DeclarationOfSecuritySchema } from '@pdx/contracts/schemas';
import { defaultReviewPolicy } from '@pdx/rules/review-policy';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../api.js';
import {
  areaCodes,
  checkDraft,
  type Declaration,
  type Draft,
  draftFrom,
  draftPointers,
  emptyDraft,
  isoReferences,
  KEY_FIELD,
  nextDeclarationId,
  refusalErrors,
  refusedPointers,
  requiredAreas,
  toDeclaration,
  validFromInstant,
  validUntilInstant,
} from './compose.js';

const today = new Date(2026, 2, 15, 10, 30);

/** A draft a warehouse would sign: areas C and E stated, one linked buyer. */
function warehouseDraft(): Draft {
  const draft = emptyDraft(today);
  return {
    ...draft,
    declarationId: 'dos-2026-1',
    functions: ['warehouse'],
    locations: 'deham, NLRTM',
    routes: [{ from: 'deham', to: 'NLRTM', mode: 'road' }],
    measures: {
      ...draft.measures,
      C: { statement: 'Sealed cargo is checked at every hand-over.', controls: 'Seal log\n\n  Dock CCTV  ' },
      E: { statement: 'Fenced site with access control.', controls: 'Badge readers' },
    },
    signatory: { name: 'Jana Novak', title: 'Managing Director', authority: 'sole power of representation' },
    recipients: ['globex'],
  };
}

describe('the areas the chosen functions require', () => {
  it('are those of the rules package’s default policy: every partner’s, then each function’s', () => {
    // Given a warehouse and an ocean carrier
    const needs = requiredAreas(['warehouse', 'ocean-carrier']);
    // Then every partner's areas are marked as such, and C is needed by both functions
    for (const area of defaultReviewPolicy.requiredAreas.all) expect(needs.get(area)?.every).toBe(true);
    expect(needs.get('C')).toEqual({ every: false, functions: ['warehouse', 'ocean-carrier'] });
    expect(needs.get('D')?.functions).toEqual(['ocean-carrier']);
    expect(needs.get('E')?.functions).toEqual(['warehouse']);
    expect(needs.has('B')).toBe(false);
  });

  it('are every partner’s only when no function is chosen', () => {
    expect([...requiredAreas([]).keys()].sort()).toEqual([...defaultReviewPolicy.requiredAreas.all].sort());
  });
});

describe('areas and their ISO references', () => {
  it('come from the schema, A to I', () => {
    expect(areaCodes).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
    expect(isoReferences('B')).toEqual({ iso28000: ['4.2', '4.4.5', '4.5.4'], iso28001: ['5.8'] });
    expect(isoReferences('C')).toBe(
      DeclarationOfSecuritySchema.properties.measures.properties.C.properties.isoReferences.const,
    );
  });
});

describe('a draft as a declaration', () => {
  it('states only the areas with text, controls one a line, codes upper case, dates local', () => {
    const declaration = toDeclaration(warehouseDraft(), 'acme', new Date('2026-03-15T09:30:00Z'));
    expect(Object.keys(declaration.measures)).toEqual(['C', 'E']);
    expect(declaration.measures.C).toEqual({
      statement: 'Sealed cargo is checked at every hand-over.',
      controls: ['Seal log', 'Dock CCTV'],
      isoReferences: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
    });
    expect(declaration.scopeOfService).toEqual({
      functions: ['warehouse'],
      locations: ['DEHAM', 'NLRTM'],
      routes: [{ from: 'DEHAM', to: 'NLRTM', mode: 'road' }],
    });
    expect(declaration.validity).toEqual({
      from: new Date(2026, 2, 15).toISOString(),
      until: new Date(2027, 2, 15, 23, 59, 59).toISOString(),
    });
    expect(declaration.issuer).toBe('acme');
    expect(declaration.issuedAt).toBe('2026-03-15T09:30:00.000Z');
    expect(declaration).not.toHaveProperty('supersedes');
  });

  it('passes the console’s checks when complete and a key is chosen', () => {
    expect(checkDraft(warehouseDraft(), true)).toEqual({});
  });
});

describe('the console’s checks before signing', () => {
  it('name each missing or malformed member by its pointer', () => {
    // Given a draft with mistakes in every part
    const draft = warehouseDraft();
    const bad: Draft = {
      ...draft,
      declarationId: 'has space',
      functions: [],
      locations: 'DEHAM, XXABC, nope',
      routes: [{ from: '', to: 'NL1TM', mode: '' }],
      measures: {
        ...draft.measures,
        C: { statement: '', controls: 'Seal log' },
        E: { statement: 'x', controls: ' ' },
      },
      validUntil: '2026-03-01',
      signatory: { name: ' ', title: 'MD', authority: 'x' },
      recipients: [],
    };
    // When checked without a key
    const found = checkDraft(bad, false);
    // Then every mistake is under the pointer the exchange would name
    expect(Object.keys(found).sort()).toEqual(
      [
        '/declarationId',
        '/scopeOfService/functions',
        '/scopeOfService/locations',
        '/scopeOfService/routes/0/from',
        '/scopeOfService/routes/0/to',
        '/measures/C/statement',
        '/measures/E/controls',
        '/validity/until',
        '/signatory/name',
        '/recipients',
        KEY_FIELD,
      ].sort(),
    );
    expect(found['/scopeOfService/locations']).toMatch(/XXABC: there is no country XX/);
    expect(found['/scopeOfService/locations']).toMatch(/NOPE is not a UN\/LOCODE/);
    expect(found['/validity/until']).toBe('The end must be after the start.');
    // And every pointer is a field of the form
    const fields = draftPointers(bad);
    for (const pointer of Object.keys(found)) expect(fields).toContain(pointer);
  });

  it('want at least one area stated', () => {
    const draft = { ...warehouseDraft(), measures: emptyDraft(today).measures };
    expect(checkDraft(draft, true)).toEqual({ '/measures': 'State the measures of at least one area.' });
  });

  it('refuse a date that does not exist', () => {
    expect(validFromInstant('2026-02-30')).toBeNull();
    expect(validUntilInstant('')).toBeNull();
    expect(checkDraft({ ...warehouseDraft(), validFrom: '2026-02-30' }, true)).toEqual({
      '/validity/from': 'Enter a date.',
    });
  });
});

describe('superseding an earlier declaration', () => {
  const previous = toDeclaration(warehouseDraft(), 'acme', today) as Declaration;

  it('starts from its content with the next id, naming it as superseded', () => {
    const draft = draftFrom(previous, new Date(2026, 5, 1), ['globex']);
    expect(draft.declarationId).toBe('dos-2026-2');
    expect(draft.supersedes).toBe('dos-2026-1');
    expect(draft.functions).toEqual(['warehouse']);
    expect(draft.locations).toBe('DEHAM, NLRTM');
    expect(draft.measures.C).toEqual({
      statement: 'Sealed cargo is checked at every hand-over.',
      controls: 'Seal log\nDock CCTV',
    });
    expect(draft.validFrom).toBe('2026-06-01');
    expect(draft.validUntil).toBe('2027-03-15');
    expect(toDeclaration(draft, 'acme', today).supersedes).toBe('dos-2026-1');
  });

  it('keeps only the recipients still linked, and a year when the old validity is over', () => {
    const draft = draftFrom(previous, new Date(2027, 5, 1), []);
    expect(draft.recipients).toEqual([]);
    expect(draft.validUntil).toBe('2028-06-01');
  });

  it('numbers ids that end in a number, and appends -2 to others', () => {
    expect(nextDeclarationId('dos-2026-09')).toBe('dos-2026-10');
    expect(nextDeclarationId('annual')).toBe('annual-2');
  });
});

describe('a refusal by field', () => {
  const fields = draftPointers(warehouseDraft());
  const report = (failed: string) => ({
    verdict: 'INVALID' as const,
    checks: (['signature', 'key-valid-at-signing-time', 'schema', 'issuer', 'validity-window'] as const).map(
      (check) => ({ check, status: check === failed ? ('INVALID' as const) : ('VALID' as const) }),
    ),
  });

  it('puts a schema violation under the field its pointer lies in', () => {
    const problem: Problem = {
      type: 'urn:pdx:problem:declaration-invalid',
      title: 'Declaration invalid',
      status: 400,
      code: 'PDX_DECLARATION_INVALID',
      errors: [{ pointer: '/measures/C/controls/0', detail: 'must NOT have fewer than 1 characters' }],
      verification: report('schema'),
    };
    expect(refusalErrors(problem, fields)).toEqual({
      '/measures/C/controls': 'must NOT have fewer than 1 characters',
    });
    expect(refusedPointers(problem)).toEqual(['/measures/C/controls/0']);
  });

  it('puts a validity refusal next to the date, a recipient’s next to the recipients', () => {
    const expired: Problem = {
      type: 'urn:pdx:problem:validity-expired',
      title: 'Validity expired',
      status: 400,
      code: 'PDX_VALIDITY_EXPIRED',
      pointer: '/validity/until',
      errors: [{ pointer: '/validity/until', detail: 'validity ended at 2026-01-01T00:00:00.000Z' }],
      verification: report('validity-window'),
    };
    expect(refusalErrors(expired, fields)).toEqual({
      '/validity/until': 'validity ended at 2026-01-01T00:00:00.000Z',
    });
    const notLinked: Problem = {
      type: 'urn:pdx:problem:recipient-not-linked',
      title: 'Recipient not linked',
      status: 422,
      code: 'PDX_RECIPIENT_NOT_LINKED',
      errors: [
        { pointer: '/recipients/0', detail: 'globex has no accepted business relationship with acme' },
      ],
    };
    expect(refusalErrors(notLinked, fields)).toEqual({
      '/recipients': 'globex has no accepted business relationship with acme',
    });
  });

  it('puts a failed signature, which names no member, next to the signing key', () => {
    const problem: Problem = {
      type: 'urn:pdx:problem:key-unknown',
      title: 'Key unknown',
      status: 400,
      code: 'PDX_KEY_UNKNOWN',
      detail: 'signature: no key acme-9 of acme',
      verification: report('signature'),
    };
    expect(refusalErrors(problem, fields)).toEqual({ [KEY_FIELD]: 'signature: no key acme-9 of acme' });
  });
});
