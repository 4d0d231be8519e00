import { SchemaRegistry } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildCatalogues,
  defaultRecognisedSchemes,
  loadCatalogues,
  mutuallyRecognised,
  normaliseCertificateNumber,
  programmeOf,
} from './catalogue.js';

const registry = new SchemaRegistry();
const catalogues = loadCatalogues(registry);

describe('scheme catalogue', () => {
  it('lists the schemes the exchange must know, each with the ISO 28001 basis it can support', () => {
    const ids = [...catalogues.byId.keys()];
    for (const id of [
      'eu-aeo-aeoc',
      'eu-aeo-aeos',
      'eu-aeo-aeof',
      'us-ctpat',
      'ca-pip',
      'iso-28000',
      'iso-28001',
      'iso-20858',
      'isps-issc',
      'isps-pfsoc',
      'tapa-fsr',
      'tapa-tsr',
      'air-regulated-agent',
      'air-known-consignor',
    ]) {
      expect(ids).toContain(id);
    }
    expect(catalogues.byId.get('iso-28001')!.isoBasis).toEqual([{ clause: '4.4(a)' }]);
    expect(catalogues.byId.get('eu-aeo-aeos')!.isoBasis).toEqual([{ clause: '4.4(c)' }]);
    expect(catalogues.byId.get('isps-issc')!.isoBasis).toEqual([
      { clause: '4.3', functions: ['ocean-carrier'] },
    ]);
    // Customs simplifications only: no security exemption.
    expect(catalogues.byId.get('eu-aeo-aeoc')!.isoBasis).toEqual([]);
  });

  it('checks EU AEO numbers against the published shape', () => {
    const pattern = catalogues.numberPatterns.get('eu-aeo-aeof')!;
    expect(pattern.test(normaliseCertificateNumber(' de  aeof 00025/08 '))).toBe(true);
    expect(pattern.test('DE AEOS 00025/08')).toBe(false);
  });

  it('refuses data whose references do not resolve', () => {
    const broken = structuredClone(catalogues.recognition);
    broken.agreements.push({ between: ['eu-aeo', 'xx-nowhere'] });
    expect(() => buildCatalogues(catalogues.schemes, broken)).toThrow(/unknown programme xx-nowhere/);
    const twice = structuredClone(catalogues.schemes);
    twice.schemes.push(twice.schemes[0]!);
    expect(() => buildCatalogues(twice, catalogues.recognition)).toThrow(/listed twice/);
  });
});

describe('mutual recognition defaults', () => {
  it('maps every EU member state to the EU programme', () => {
    expect(programmeOf(catalogues, 'DE')).toBe('eu-aeo');
    expect(programmeOf(catalogues, 'GR')).toBe('eu-aeo');
    expect(programmeOf(catalogues, 'US')).toBe('us-ctpat');
    expect(programmeOf(catalogues, 'AQ')).toBeUndefined();
  });

  it('recognises the EU MRAs in force', () => {
    expect(mutuallyRecognised(catalogues, 'eu-aeo')).toEqual(
      ['ch-aeo', 'cn-aeo', 'eu-aeo', 'gb-aeo', 'jp-aeo', 'md-aeo', 'no-aeo', 'us-ctpat'].sort(),
    );
    expect(mutuallyRecognised(catalogues, 'us-ctpat')).toHaveLength(17);
  });

  it('gives a German buyer AEOS/AEOF, its MRA partners and the international schemes, never AEOC', () => {
    const schemes = defaultRecognisedSchemes(catalogues, 'DE');
    expect(schemes).toEqual(expect.arrayContaining(['eu-aeo-aeos', 'eu-aeo-aeof', 'us-ctpat', 'jp-aeo']));
    expect(schemes).toEqual(expect.arrayContaining(['iso-28001', 'isps-issc', 'tapa-fsr']));
    expect(schemes).not.toContain('eu-aeo-aeoc');
    // Canada's PIP is recognised by the US, not by the EU.
    expect(schemes).not.toContain('ca-pip');
    expect(defaultRecognisedSchemes(catalogues, 'US')).toContain('ca-pip');
  });

  it('gives a buyer from a country without a programme the international schemes only', () => {
    const schemes = defaultRecognisedSchemes(catalogues, 'AQ');
    expect(schemes.every((id) => catalogues.byId.get(id)!.jurisdiction === 'INT')).toBe(true);
    expect(schemes.length).toBeGreaterThan(5);
  });
});
