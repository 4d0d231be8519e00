import { describe, expect, it } from 'vitest';
import { routeModes, serviceFunctions } from '../vocabulary.js';
import { isCountry, locodeProblem, parseLocodes } from './scope.js';

describe('UN/LOCODE as typed', () => {
  it('accepts a code of a known country with three letters or digits 2–9', () => {
    for (const code of ['DEHAM', 'NLRTM', 'CNSHA', 'US2NY', 'GB9AB']) expect(locodeProblem(code)).toBeNull();
  });

  it('refuses the form: lower case, digits 0 and 1, wrong length', () => {
    for (const code of ['deham', 'DEHA', 'DEHAMB', 'DE0AM', 'DE1AM', 'D-HAM', ''])
      expect(locodeProblem(code)).toBe('format');
  });

  it('refuses a country ISO 3166-1 does not assign, and former codes', () => {
    // XX is unassigned; UK and SU are not ISO 3166-1 codes (GB; the Soviet Union's is withdrawn).
    for (const code of ['XXHAM', 'UKLON', 'SUMOW', 'EUBRU', 'ZZABC'])
      expect(locodeProblem(code)).toBe('country');
    expect(isCountry('DE')).toBe(true);
    expect(isCountry('GB')).toBe(true);
    expect(isCountry('UK')).toBe(false);
  });

  it('reads a typed list: commas, spaces, semicolons; upper case; no empty parts', () => {
    expect(parseLocodes(' deham, NLRTM;cnsha   ,, ')).toEqual(['DEHAM', 'NLRTM', 'CNSHA']);
    expect(parseLocodes('')).toEqual([]);
  });
});

describe('the scope of service from the schema', () => {
  it('offers the functions and route modes the schema allows', () => {
    expect(serviceFunctions).toContain('warehouse');
    expect(serviceFunctions).toContain('ocean-carrier');
    expect(serviceFunctions).toHaveLength(10);
    expect(routeModes).toEqual(['sea', 'air', 'road', 'rail', 'inland-waterway', 'multimodal']);
  });
});
