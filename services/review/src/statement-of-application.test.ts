import { createHash } from 'node:crypto';
import { type Certificate, type PartnerDecision, SchemaRegistry } from '@pdx/contracts';
import { generateSigningKey, verifyDetached } from '@pdx/crypto';
import { linkDoc, partyDoc } from '@pdx/read-models/testing';
import {
  type BuyerPolicy,
  type DeclarationFact,
  defaultReviewPolicy,
  evaluate,
  type PartnerFacts,
  type ReviewRecord,
} from '@pdx/rules';
import { defaultRecognisedSchemes, type ServiceFunction } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import { type CryptoKey, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { LinkDoc, PartyDoc } from './facts/fact-docs.js';
import {
  obligationText,
  type StatementFacts,
  statementHtml,
  statementOfApplication,
} from './statement-of-application.js';
import { signStatement, statementDigest, statementPayload } from './statement-of-application-signature.js';

const registry = new SchemaRegistry();
const catalogues = loadCatalogues(registry);
const DAY = 86_400_000;
const now = Date.parse('2027-06-01T00:00:00Z');
const at = (days: number) => new Date(now + days * DAY).toISOString();
const policy: BuyerPolicy = {
  buyerId: 'globex',
  version: 2,
  schemes: defaultRecognisedSchemes(catalogues, 'NL'),
  issuers: {},
  review: defaultReviewPolicy,
};

const party = (id: string, legalName: string, extra: Partial<PartyDoc> = {}): PartyDoc =>
  partyDoc({ id, legalName, country: 'DE', roles: ['partner'], keys: [], ...extra });
const cert = (id: string, schemeId: string, overrides: Partial<Certificate>): Certificate => ({
  certificateId: id,
  schemeId,
  number: `${schemeId.toUpperCase()}-1`,
  holder: 'acme',
  trust: 'attested',
  issuer: 'hza-hamburg',
  scope: { functions: ['warehouse'] },
  validFrom: at(-400),
  state: 'active',
  confirmations: [],
  version: 1,
  ...overrides,
});
const declaration = (overrides: Partial<DeclarationFact> = {}): DeclarationFact => ({
  declarationId: 'dos-1',
  recipients: ['globex'],
  issuedAt: at(-60),
  validFrom: at(-60),
  validUntil: at(305),
  areas: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'],
  ...overrides,
});
const review: ReviewRecord = {
  reviewId: 'REV-7',
  declarationId: 'dos-1',
  reviewedAt: at(-40),
  reviewer: 'J. Doe',
  method: 'questionnaire',
  outcome: 'credible',
  findings: [],
};

// The partners, their facts, and the decisions the rules engine makes of them.
const aeo = cert('eu-aeo-aeos~1', 'eu-aeo-aeos', { holder: 'acme', number: 'DE AEOS 00025/08' });
const issc = cert('isps-issc~2', 'isps-issc', {
  holder: 'shipco',
  number: 'ISSC-9074729',
  issuer: 'flag-no',
  scope: { functions: ['ocean-carrier'] },
  validUntil: at(600),
});
const fsr = cert('tapa-fsr~3', 'tapa-fsr', {
  holder: 'hub',
  number: 'FSR-2025-0042',
  trust: 'claimed',
  issuer: undefined,
  issuerName: 'Audit Co.',
  validUntil: at(500),
  confirmations: [
    { buyerId: 'globex', reviewer: 'K. Lee', evidenceRef: 'REV-2026-117', confirmedAt: at(-30) },
  ],
});
const pfsoc = cert('isps-pfsoc~4', 'isps-pfsoc', {
  holder: 'hub',
  number: 'PFSOC-NL-1',
  issuer: 'flag-no',
  scope: { functions: ['port-terminal'] },
  validUntil: at(700),
});
const partnerFacts = (
  partnerId: string,
  functions: PartnerFacts['functions'],
  more: Partial<PartnerFacts>,
): PartnerFacts => ({
  buyerId: 'globex',
  partnerId,
  country: 'DE',
  functions,
  locations: [],
  certificates: [],
  declarations: [],
  reviews: [],
  incidents: [],
  ...more,
});
const partners: { facts: PartnerFacts; locations: string[] }[] = [
  { facts: partnerFacts('acme', ['warehouse'], { certificates: [aeo] }), locations: ['DEHAM'] },
  { facts: partnerFacts('shipco', ['ocean-carrier'], { certificates: [issc] }), locations: [] },
  {
    facts: partnerFacts('hub', ['port-terminal', 'warehouse'], {
      certificates: [pfsoc, fsr],
      declarations: [declaration()],
      reviews: [review],
    }),
    locations: ['NLRTM'],
  },
  {
    facts: partnerFacts('roadco', ['road-carrier'], {
      declarations: [declaration({ areas: ['A', 'C', 'H'] })],
    }),
    locations: [],
  },
  { facts: partnerFacts('zeta', ['shipper'], {}), locations: [] },
];
const decisions = partners.map((p) => evaluate(p.facts, policy, catalogues, now));
const link = (partnerId: string, functions: readonly string[], locations: string[]): LinkDoc =>
  linkDoc({ buyerId: 'globex', partnerId, functions: functions as ServiceFunction[], locations });
const facts: StatementFacts = {
  buyer: party('globex', 'Globex Retail BV', {
    country: 'NL',
    roles: ['buyer'],
    identifiers: [{ scheme: 'EORI', value: 'NL123456789' }],
  }),
  entries: partners
    .map((p, i) => ({
      decision: decisions[i]!,
      link: link(p.facts.partnerId, p.facts.functions, p.locations),
    }))
    .reverse(),
  parties: new Map(
    [
      party('acme', 'ACME <Logistics> & Co', {
        identifiers: [
          { scheme: 'EORI', value: 'DE123456789012345' },
          { scheme: 'LEI', value: '5493001KJTIIGC8Y1R12' },
        ],
      }),
      party('shipco', 'Ship Co AS', { country: 'NO' }),
      party('hub', 'Rotterdam Hub BV', { country: 'NL' }),
      party('roadco', 'Road Co', {}),
      // A projection made before parties carried identifiers.
      {
        id: 'zeta',
        legalName: 'Zeta SARL',
        country: 'FR',
        roles: ['partner'],
        keys: [],
      } as unknown as PartyDoc,
      party('hza-hamburg', 'Hauptzollamt Hamburg', { roles: ['issuer'] }),
      party('flag-no', 'Norwegian Maritime Authority', { roles: ['issuer'], country: 'NO' }),
    ].map((p) => [p.id, p]),
  ),
  certificates: new Map([aeo, issc, fsr, pfsoc].map((c) => [c.certificateId, c])),
  declarations: new Map([
    ['hub~dos-1', declaration()],
    ['roadco~dos-1', declaration({ areas: ['A', 'C', 'H'] })],
  ]),
  reviews: new Map([[review.reviewId, review]]),
  catalogues,
  generatedAt: at(0),
};
const soa = statementOfApplication(facts);
const entry = (id: string) => soa.partners.find((p) => p.partnerId === id)!;

describe('Statement of Application (ISO 28001 4.1)', () => {
  it('lists every partner with its identifiers, scope of service and basis', () => {
    expect(registry.check('urn:pdx:schema:api:statement-of-application.v1', soa)).toEqual([]);
    expect(soa.partners.map((p) => `${p.partnerId} ${p.status}`)).toEqual([
      'acme exempt',
      'hub covered',
      'roadco incomplete',
      'shipco exempt',
      'zeta declaration-required',
    ]);
    expect(soa.buyer).toEqual({
      partyId: 'globex',
      legalName: 'Globex Retail BV',
      country: 'NL',
      identifiers: [{ scheme: 'EORI', value: 'NL123456789' }],
    });
    expect(entry('acme').identifiers).toEqual([
      { scheme: 'EORI', value: 'DE123456789012345' },
      { scheme: 'LEI', value: '5493001KJTIIGC8Y1R12' },
    ]);
    expect(entry('zeta').identifiers).toEqual([]);
    expect(soa.scope).toEqual({
      functions: ['ocean-carrier', 'port-terminal', 'road-carrier', 'shipper', 'warehouse'],
      locations: ['DEHAM', 'NLRTM'],
    });
    expect(soa.summary).toEqual({
      partners: 5,
      exempt: 2,
      covered: 1,
      incomplete: 1,
      'declaration-required': 1,
    });
    expect([soa.policyVersion, soa.catalogueVersion]).toEqual([2, catalogues.schemes.version]);
  });

  it('carries, for each exempt partner, the scheme, number, issuing authority and validity', () => {
    expect(entry('acme').exemption).toEqual({
      clause: '4.4(c)',
      certificates: [
        {
          certificateId: 'eu-aeo-aeos~1',
          schemeId: 'eu-aeo-aeos',
          scheme: 'EU AEO — Security and Safety (AEOS)',
          number: 'DE AEOS 00025/08',
          issuingAuthority: { partyId: 'hza-hamburg', name: 'Hauptzollamt Hamburg' },
          trust: 'attested',
          validFrom: at(-400),
          state: 'active',
        },
      ],
    });
    // 4.3 + 4.4(b): the approval and the functions it covers.
    expect(entry('shipco').exemption).toEqual({
      clause: '4.4(b)',
      certificates: [
        expect.objectContaining({
          scheme: 'ISPS Code International Ship Security Certificate (ISSC)',
          number: 'ISSC-9074729',
          issuingAuthority: { partyId: 'flag-no', name: 'Norwegian Maritime Authority' },
          validUntil: at(600),
          functions: ['ocean-carrier'],
        }),
      ],
    });
  });

  it('carries the approvals of a covered partner, its declaration and review, and the supporting evidence', () => {
    const hub = entry('hub');
    expect(hub.exemption).toBeUndefined();
    expect(hub.coverage).toEqual([
      expect.objectContaining({ schemeId: 'isps-pfsoc', number: 'PFSOC-NL-1', functions: ['port-terminal'] }),
    ]);
    expect(hub.declaration).toEqual({
      declarationId: 'dos-1',
      issuedAt: at(-60),
      validFrom: at(-60),
      validUntil: at(305),
      areas: expect.arrayContaining([
        { code: 'D', name: 'conveyance security' },
        { code: 'F', name: 'personnel security' },
      ]),
    });
    expect(hub.review).toEqual({
      reviewId: 'REV-7',
      reviewedAt: at(-40),
      method: 'questionnaire',
      outcome: 'credible',
    });
    // TAPA FSR: evidence for the warehouse review, claimed and confirmed by this buyer.
    expect(hub.supportingEvidence).toEqual([
      {
        certificateId: 'tapa-fsr~3',
        schemeId: 'tapa-fsr',
        scheme: 'TAPA Facility Security Requirements (FSR) certification',
        number: 'FSR-2025-0042',
        issuingAuthority: { name: 'Audit Co.' },
        trust: 'claimed',
        confirmedBy: { reviewer: 'K. Lee', evidenceRef: 'REV-2026-117', confirmedAt: at(-30) },
        validFrom: at(-400),
        validUntil: at(500),
        state: 'active',
        functions: ['warehouse'],
        lowersRiskTier: false,
      },
    ]);
    // The warehouse alone is reviewed (the port facility is covered): low risk, 36 months.
    expect(hub.riskTier).toBe('low');
    expect(hub.nextReviewDue).toBe('2030-04-22T00:00:00.000Z');
    expect(hub.obligations).toEqual(['next document review (low risk), due by 2030-04-22']);
  });

  it('says what is left to do in words, with area names and dates', () => {
    expect(entry('roadco').obligations).toEqual([
      'area D (conveyance security) missing for road-carrier; area F (personnel security) missing for every partner',
    ]);
    expect(entry('zeta').obligations).toEqual([
      'Declaration of Security required for shipper: no declaration addressed to the buyer (ISO 28001 4.2)',
    ]);
    expect(
      obligationText({
        code: 'review-overdue',
        clause: '4.5',
        detail: 'the first site visit of the declaration (high risk) was due',
        dueAt: '2027-05-01T00:00:00.000Z',
      }),
    ).toBe('the first site visit of the declaration (high risk) was due by 2027-05-01 and is overdue');
    const road = evaluate(
      {
        ...partners[3]!.facts,
        declarations: [declaration({ areas: ['A', 'C', 'D', 'H'] })],
      },
      policy,
      catalogues,
      now,
    );
    expect(road.obligations.map((o) => obligationText(o as PartnerDecision['obligations'][number]))).toEqual([
      'area F (personnel security) missing for every partner',
    ]);
  });
});

describe('the statement’s signature', () => {
  it('is a detached JWS over the canonical JSON without the signature, with the digest of it', async () => {
    const { privateJwk, publicJwk } = await generateSigningKey('EdDSA', 'exchange-2027');
    const signer = {
      key: (await importJWK(privateJwk, 'EdDSA')) as CryptoKey,
      kid: 'exchange-2027',
      alg: 'EdDSA',
    };
    const signed = await signStatement(soa, signer);
    expect(registry.check('urn:pdx:schema:api:statement-of-application.v1', signed)).toEqual([]);
    const payload = statementPayload(signed);
    expect(payload).toBe(statementPayload(soa));
    expect(signed.signature).toMatchObject({
      typ: 'pdx-statement+jws',
      alg: 'EdDSA',
      kid: 'exchange-2027',
      canonicalization: 'RFC 8785',
      jwks: '/.well-known/jwks.json',
      digest: `sha-256:${createHash('sha256').update(payload).digest('hex')}`,
    });
    expect(statementDigest(payload)).toBe(signed.signature!.digest);
    expect(await verifyDetached(payload, signed.signature!.jws, publicJwk, 'pdx-statement+jws')).toBe(true);
    // Signing again replaces the signature; it never signs a signature.
    expect(statementPayload(await signStatement(signed, signer))).toBe(payload);
    // One field changed, and the signature no longer holds.
    const tampered = structuredClone(signed);
    tampered.partners[0]!.exemption!.certificates[0]!.number = 'DE AEOS 99999/08';
    expect(
      await verifyDetached(statementPayload(tampered), signed.signature!.jws, publicJwk, 'pdx-statement+jws'),
    ).toBe(false);
  });

  it('is shown on the printable page with the digest, how to verify it, and the signed JSON', async () => {
    const { privateJwk } = await generateSigningKey('EdDSA', 'exchange-2027');
    const signer = {
      key: (await importJWK(privateJwk, 'EdDSA')) as CryptoKey,
      kid: 'exchange-2027',
      alg: 'EdDSA',
    };
    const hostile = structuredClone(soa);
    hostile.partners[0]!.legalName = 'ACME </script><script>alert(1)</script>';
    const signed = await signStatement(hostile, signer);
    const html = statementHtml(signed);
    expect(html).toContain('ACME &lt;/script&gt;');
    expect(html).toContain(signed.signature!.digest);
    expect(html).toContain('pdx verify-statement');
    expect(html).toContain('<code>exchange-2027</code>');
    expect(html).toContain('area F (personnel security) missing for every partner');
    expect(html).toContain('Audit Co.');
    // The embedded JSON cannot close its script element, and is the signed statement.
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const embedded = /<script type="application\/json" id="pdx-statement">([^<]*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(embedded)).toEqual(signed);
  });
});
