import type { MutualRecognitionCatalogue, SchemeCatalogue, ScopeOfService } from '@pdx/contracts';

export type Scheme = SchemeCatalogue['schemes'][number];
export type IsoBasis = Scheme['isoBasis'][number];
/** What a certificate that is only evidence for a review speaks to (ISO 28000, TAPA). */
export type ReviewEvidence = NonNullable<Scheme['reviewEvidence']>;
export type ServiceFunction = ScopeOfService['functions'][number];

/** The scheme catalogue and the mutual recognition data, checked and indexed. */
export interface Catalogues {
  schemes: SchemeCatalogue;
  recognition: MutualRecognitionCatalogue;
  byId: ReadonlyMap<string, Scheme>;
  /** Compiled numberPattern of each scheme that has one. */
  numberPatterns: ReadonlyMap<string, RegExp>;
}

/** Indexes catalogues (already schema-valid) and checks their cross-references. */
export function buildCatalogues(
  schemes: SchemeCatalogue,
  recognition: MutualRecognitionCatalogue,
): Catalogues {
  const byId = new Map<string, Scheme>();
  const numberPatterns = new Map<string, RegExp>();
  for (const scheme of schemes.schemes) {
    if (byId.has(scheme.schemeId)) throw new TypeError(`scheme ${scheme.schemeId} is listed twice`);
    // Evidence for a review (ISO 28000, TAPA) is never also grounds for an exemption: one
    // entry saying both would let a buyer's policy exempt on a management-system certificate.
    if (scheme.reviewEvidence !== undefined && scheme.isoBasis.length > 0) {
      throw new TypeError(`scheme ${scheme.schemeId} is review evidence and cannot ground an exemption`);
    }
    byId.set(scheme.schemeId, scheme);
    if (scheme.numberPattern !== undefined)
      numberPatterns.set(scheme.schemeId, new RegExp(scheme.numberPattern));
  }
  const programmes = new Set(recognition.programmes.map((p) => p.programme));
  const countries = new Map<string, string>();
  for (const p of recognition.programmes) {
    for (const country of p.countries) {
      const other = countries.get(country);
      if (other !== undefined) throw new TypeError(`${country} is in both ${other} and ${p.programme}`);
      countries.set(country, p.programme);
    }
  }
  for (const scheme of schemes.schemes) {
    if (
      scheme.kind === 'aeo-programme' &&
      (scheme.programme === undefined || !programmes.has(scheme.programme))
    ) {
      throw new TypeError(`scheme ${scheme.schemeId} names no programme of the recognition data`);
    }
  }
  for (const { between } of recognition.agreements) {
    for (const programme of between) {
      if (!programmes.has(programme)) throw new TypeError(`agreement names unknown programme ${programme}`);
    }
  }
  return { schemes, recognition, byId, numberPatterns };
}

/** The AEO programme of a country, if it has one (EU member states share eu-aeo). */
export function programmeOf(catalogues: Catalogues, country: string): string | undefined {
  return catalogues.recognition.programmes.find((p) => p.countries.includes(country))?.programme;
}

/** The programmes a programme's holders are recognised under: itself and its MRA partners. */
export function mutuallyRecognised(catalogues: Catalogues, programme: string): string[] {
  const out = new Set([programme]);
  for (const { between } of catalogues.recognition.agreements) {
    const [a, b] = between as [string, string];
    if (a === programme) out.add(b);
    if (b === programme) out.add(a);
  }
  return [...out].sort();
}

/**
 * The schemes a buyer recognises when it has not set a policy: the AEO programme of its own
 * country and those it has mutual recognition agreements with, plus the international
 * verifications and approvals — in each case only schemes that can ground an ISO 28001
 * exemption: neither a customs-simplifications-only authorisation (AEOC) nor a certificate
 * that is only evidence for a review (ISO 28000, TAPA FSR/TSR).
 */
export function defaultRecognisedSchemes(catalogues: Catalogues, country: string): string[] {
  const own = programmeOf(catalogues, country);
  const programmes = new Set(own === undefined ? [] : mutuallyRecognised(catalogues, own));
  return catalogues.schemes.schemes
    .filter((s) => s.isoBasis.length > 0)
    .filter((s) => s.jurisdiction === 'INT' || (s.programme !== undefined && programmes.has(s.programme)))
    .map((s) => s.schemeId)
    .sort();
}

/**
 * The schemes whose certificates are evidence a credibility review (ISO 28001 4.5) may take
 * into account and never grounds for an exemption: management-system and industry
 * certifications such as ISO 28000 and TAPA FSR/TSR.
 */
export function evidenceSchemes(catalogues: Catalogues): string[] {
  return catalogues.schemes.schemes
    .filter((s) => s.reviewEvidence !== undefined)
    .map((s) => s.schemeId)
    .sort();
}

/** Canonical form of a certificate number: trimmed, inner whitespace collapsed, upper case. */
export function normaliseCertificateNumber(number: string): string {
  return number.trim().replace(/\s+/g, ' ').toUpperCase();
}
