import { SchemaRegistry } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildCatalogues,
  defaultRecognisedSchemes,
  evidenceSchemes,
  mutuallyRecognised,
  normaliseCertificateNumber,
  programmeOf,
} from './catalogue.js';
import { loadCatalogues } from './load.js';

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

  it('grounds each exemption only on what the scheme certifies (ISO 28001 4.3, 4.4)', () => {
    const basis = (id: string) =>
      catalogues.byId
        .get(id)!
        .isoBasis.map((b) => (b.clause === '4.3' ? `4.3 ${b.functions.join(' ')}` : b.clause));
    // The ship (the ocean carrier's conveyance), the port facility, and the air cargo security
    // of the parts an aviation security approval is for — not an air carrier's.
    expect(basis('isps-issc')).toEqual(['4.3 ocean-carrier']);
    expect(basis('isps-pfsoc')).toEqual(['4.3 port-terminal']);
    expect(basis('air-regulated-agent')).toEqual(['4.3 forwarder warehouse']);
    expect(basis('air-known-consignor')).toEqual(['4.3 manufacturer shipper']);
    expect(basis('iso-28001')).toEqual(['4.4(a)']);
    expect(basis('iso-20858')).toEqual(['4.4(a)']);
    // A management-system or industry certification is neither a 4.4(a) verification nor a
    // 4.3 approval: evidence for a review, never an exemption.
    for (const id of ['iso-28000', 'tapa-fsr', 'tapa-tsr']) {
      expect(basis(id), id).toEqual([]);
      expect(catalogues.byId.get(id)!.kind, id).toBe('certification');
    }
    expect(catalogues.byId.get('tapa-fsr')!.reviewEvidence).toEqual({ functions: ['warehouse'] });
    expect(catalogues.byId.get('tapa-tsr')!.reviewEvidence).toEqual({ functions: ['road-carrier'] });
    expect(catalogues.byId.get('iso-28000')!.reviewEvidence!.functions).toHaveLength(10);
    expect(evidenceSchemes(catalogues)).toEqual(['iso-28000', 'tapa-fsr', 'tapa-tsr']);
    // AEOC grounds nothing and is no evidence either.
    expect(catalogues.byId.get('eu-aeo-aeoc')!.reviewEvidence).toBeUndefined();
    expect(catalogues.schemes.version).toBe(2);
  });

  it('cites its public sources for every scheme', () => {
    for (const scheme of catalogues.schemes.schemes) {
      expect(scheme.sources.length, scheme.schemeId).toBeGreaterThan(0);
      for (const source of scheme.sources) {
        expect(source.title.length).toBeGreaterThan(10);
        if (source.url !== undefined) expect(source.url).toMatch(/^https:\/\//);
      }
    }
  });

  it('refuses an entry that is review evidence and grounds an exemption too', () => {
    const both = structuredClone(catalogues.schemes);
    const iso28000 = both.schemes.find((s) => s.schemeId === 'iso-28000')!;
    iso28000.isoBasis = [{ clause: '4.4(a)' }];
    expect(() => buildCatalogues(both, catalogues.recognition)).toThrow(/review evidence/);
    // The schema says so too, for a certification of any kind.
    const violations = registry.check('urn:pdx:schema:data:scheme-catalogue.v1', both);
    expect(violations.map((v) => v.pointer)).toContain(`/schemes/${both.schemes.indexOf(iso28000)}/isoBasis`);
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
    expect(schemes).toEqual(expect.arrayContaining(['iso-28001', 'iso-20858', 'isps-issc', 'isps-pfsoc']));
    expect(schemes).not.toContain('eu-aeo-aeoc');
    // Evidence for a review is not an exemption a default policy recognises.
    for (const id of ['iso-28000', 'tapa-fsr', 'tapa-tsr']) expect(schemes).not.toContain(id);
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
