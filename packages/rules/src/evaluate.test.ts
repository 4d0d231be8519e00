import { type Certificate, SchemaRegistry } from '@pdx/contracts';
import { defaultRecognisedSchemes, type ServiceFunction } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from './calendar.js';
import { type Clause, evaluate, type PartnerStatus } from './evaluate.js';
import {
  type AreaCode,
  areaCodes,
  type BuyerPolicy,
  type DeclarationFact,
  type IncidentFact,
  type PartnerFacts,
  type ReviewRecord,
} from './facts.js';
import { defaultReviewPolicy, reviewPolicyOf } from './review-policy.js';

const catalogues = loadCatalogues(new SchemaRegistry());
const DAY = 86_400_000;
const now = Date.parse('2027-06-01T00:00:00Z');
const at = (days: number) => new Date(now + days * DAY).toISOString();
/** Calendar months after an instant. */
const monthsAfter = (instant: string, months: number) =>
  new Date(addMonths(Date.parse(instant), months)).toISOString();
const policy: BuyerPolicy = {
  buyerId: 'globex',
  version: 3,
  schemes: defaultRecognisedSchemes(catalogues, 'DE'),
  issuers: {},
  review: defaultReviewPolicy,
};

const cert = (schemeId: string, overrides: Partial<Certificate> = {}): Certificate => ({
  certificateId: `${schemeId}~${'0'.repeat(19)}1`,
  schemeId,
  number: `${schemeId.toUpperCase()}-1`,
  holder: 'acme',
  trust: 'attested',
  issuer: 'issuer-1',
  scope: { functions: ['warehouse'] },
  validFrom: at(-365),
  ...(catalogues.byId.get(schemeId)?.validity === 'dated' ? { validUntil: at(200) } : {}),
  state: 'active',
  confirmations: [],
  version: 1,
  ...overrides,
});
/** A ship's security certificate, for the ocean carrier's conveyance it is approved for. */
const issc = cert('isps-issc', { scope: { functions: ['ocean-carrier'] } });
const declaration = (overrides: Partial<DeclarationFact> = {}): DeclarationFact => ({
  declarationId: 'dos-1',
  recipients: ['globex'],
  issuedAt: at(-10),
  validFrom: at(-10),
  validUntil: at(355),
  areas: [...areaCodes],
  ...overrides,
});
const review = (overrides: Partial<ReviewRecord> = {}): ReviewRecord => ({
  reviewId: 'rev-1',
  declarationId: 'dos-1',
  reviewedAt: at(-5),
  reviewer: 'J. Doe',
  method: 'site-visit',
  outcome: 'credible',
  findings: [],
  ...overrides,
});
const incident = (overrides: Partial<IncidentFact> = {}): IncidentFact => ({
  incidentId: 'inc-1',
  occurredAt: at(-3),
  severity: 'medium',
  ...overrides,
});
const facts = (overrides: Partial<PartnerFacts> = {}): PartnerFacts => ({
  buyerId: 'globex',
  partnerId: 'acme',
  country: 'DE',
  functions: ['warehouse'],
  locations: ['DEHAM'],
  certificates: [],
  declarations: [],
  reviews: [],
  incidents: [],
  ...overrides,
});

describe('the ISO 28001 rules, clause by clause', () => {
  const cases: {
    name: string;
    facts: PartnerFacts;
    policy?: BuyerPolicy;
    status: PartnerStatus;
    clauses: Clause[];
    obligations?: string[];
    check?: (d: ReturnType<typeof evaluate>) => void;
  }[] = [
    {
      name: '4.4(c): an AEO security authorisation exempts',
      facts: facts({ certificates: [cert('eu-aeo-aeos')] }),
      status: 'exempt',
      clauses: ['4.4(c)'],
      check: (d) =>
        expect(d.basis).toEqual([
          expect.objectContaining({ kind: 'certificate', clause: '4.4(c)', schemeId: 'eu-aeo-aeos' }),
        ]),
    },
    {
      name: '4.4(a): an ISO 28001 verification exempts, before an AEO',
      facts: facts({ certificates: [cert('eu-aeo-aeof'), cert('iso-28001')] }),
      status: 'exempt',
      clauses: ['4.4(a)'],
    },
    {
      name: '4.4(b): approvals under 4.3 for every function of the scope exempt',
      facts: facts({ functions: ['ocean-carrier'], certificates: [issc] }),
      status: 'exempt',
      clauses: ['4.3', '4.4(b)'],
    },
    {
      name: '4.3: an approval covers its functions; the rest rests on a credible declaration',
      facts: facts({
        functions: ['ocean-carrier', 'warehouse'],
        certificates: [issc],
        declarations: [declaration()],
        reviews: [review()],
      }),
      status: 'covered',
      clauses: ['4.2', '4.3', '4.5'],
      obligations: ['review-due'],
      check: (d) =>
        expect(d.functions).toEqual([
          expect.objectContaining({ function: 'ocean-carrier', status: 'covered', clause: '4.3' }),
          expect.objectContaining({ function: 'warehouse', status: 'credible', clause: '4.5' }),
        ]),
    },
    {
      name: '4.3 + 4.2: functions no approval covers still need a declaration',
      facts: facts({ functions: ['ocean-carrier', 'warehouse'], certificates: [issc] }),
      status: 'declaration-required',
      clauses: ['4.2', '4.3'],
      obligations: ['declaration-required'],
      check: (d) => expect(d.obligations[0]!.functions).toEqual(['warehouse']),
    },
    {
      name: '4.2: no declaration',
      facts: facts(),
      status: 'declaration-required',
      clauses: ['4.2'],
      obligations: ['declaration-required'],
    },
    {
      name: '4.2: the declaration expired',
      facts: facts({ declarations: [declaration({ validFrom: at(-400), validUntil: at(-1) })] }),
      status: 'declaration-required',
      clauses: ['4.2'],
      check: (d) => expect(d.obligations[0]!.detail).toContain('expired'),
    },
    {
      name: '4.2: superseded without a successor in force',
      facts: facts({
        declarations: [
          declaration(),
          declaration({ declarationId: 'dos-2', supersedes: 'dos-1', validFrom: at(30), issuedAt: at(-1) }),
        ],
      }),
      status: 'declaration-required',
      clauses: ['4.2'],
      check: (d) => {
        expect(d.obligations[0]!.detail).toContain('superseded');
        expect(d.nextChangeAt).toBe(at(30));
      },
    },
    {
      name: '4.2: a declaration addressed to another buyer does not count',
      facts: facts({ declarations: [declaration({ recipients: ['umbrella'] })] }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: '4.2: an ocean carrier’s declaration without conveyance security is incomplete',
      facts: facts({
        functions: ['ocean-carrier'],
        declarations: [declaration({ areas: ['A', 'C', 'F', 'H'] })],
      }),
      status: 'incomplete',
      clauses: ['4.2'],
      obligations: ['areas-missing'],
      check: (d) =>
        expect(d.obligations[0]!.detail).toBe('area D (conveyance security) missing for ocean-carrier'),
    },
    {
      name: '4.5: declared, review not yet done',
      facts: facts({ declarations: [declaration()] }),
      status: 'pending-review',
      clauses: ['4.2', '4.5'],
      obligations: ['review-due'],
      check: (d) => {
        expect(d.obligations[0]!.dueAt).toBe(at(20));
        expect(d.nextChangeAt).toBe(at(20));
        expect(d.riskTier).toBe('low');
      },
    },
    {
      name: '4.5: the first review is overdue',
      facts: facts({ declarations: [declaration({ issuedAt: at(-40), validFrom: at(-40) })] }),
      status: 'review-overdue',
      clauses: ['4.2', '4.5'],
      obligations: ['review-overdue'],
    },
    {
      name: '4.5: reviewed and found credible, until the next review',
      facts: facts({ declarations: [declaration()], reviews: [review({ method: 'document-review' })] }),
      status: 'credible',
      clauses: ['4.2', '4.5'],
      obligations: ['review-due'],
      // 36 calendar months from the review's date, the leap day of 2028 included.
      check: (d) => expect(d.obligations[0]!.dueAt).toBe(monthsAfter(at(-5), 36)),
    },
    {
      name: '4.5: the periodic review is overdue',
      facts: facts({
        declarations: [declaration({ validFrom: at(-1200), issuedAt: at(-1200), validUntil: at(100) })],
        reviews: [review({ reviewedAt: at(-1100), method: 'document-review' })],
      }),
      status: 'review-overdue',
      clauses: ['4.2', '4.5'],
      obligations: ['review-overdue'],
    },
    {
      name: '4.5: found not credible',
      facts: facts({
        declarations: [declaration()],
        reviews: [review({ outcome: 'not-credible', findings: ['no CCTV at gate 2'] })],
      }),
      status: 'not-credible',
      clauses: ['4.2', '4.5'],
      obligations: ['not-credible'],
      check: (d) => expect(d.obligations[0]!.detail).toContain('no CCTV at gate 2'),
    },
    {
      name: '4.5: a high-risk carrier needs a site visit, a document review is not enough',
      facts: facts({
        functions: ['road-carrier'],
        incidents: [incident()],
        declarations: [declaration()],
        reviews: [review({ method: 'document-review' })],
      }),
      status: 'pending-review',
      clauses: ['4.2', '4.5'],
      obligations: ['review-due', 'review-method'],
      check: (d) => expect(d.riskTier).toBe('high'),
    },
    {
      name: 'a suspended certificate exempts nothing',
      facts: facts({ certificates: [cert('eu-aeo-aeos', { state: 'suspended' })] }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'an expired certificate exempts nothing',
      facts: facts({ certificates: [cert('iso-28001', { validUntil: at(-1) })] }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'a withdrawn certificate exempts nothing',
      facts: facts({ certificates: [cert('eu-aeo-aeos', { state: 'withdrawn' })] }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'an unconfirmed claim exempts nothing',
      facts: facts({ certificates: [cert('eu-aeo-aeos', { trust: 'claimed', issuer: undefined })] }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'a claim another buyer confirmed exempts nothing for this one',
      facts: facts({
        certificates: [
          cert('eu-aeo-aeos', {
            trust: 'claimed',
            issuer: undefined,
            confirmations: [{ buyerId: 'umbrella', reviewer: 'x', evidenceRef: 'y', confirmedAt: at(-1) }],
          }),
        ],
      }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'a claim this buyer’s reviewer confirmed exempts',
      facts: facts({
        certificates: [
          cert('eu-aeo-aeos', {
            trust: 'claimed',
            issuer: undefined,
            confirmations: [{ buyerId: 'globex', reviewer: 'x', evidenceRef: 'y', confirmedAt: at(-1) }],
          }),
        ],
      }),
      status: 'exempt',
      clauses: ['4.4(c)'],
    },
    {
      name: 'a scheme the buyer does not recognise exempts nothing (PIP, for an EU buyer)',
      facts: facts({ certificates: [cert('ca-pip')] }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'an issuer the buyer does not recognise for the scheme exempts nothing',
      facts: facts({ certificates: [cert('eu-aeo-aeos')] }),
      policy: { ...policy, issuers: { 'eu-aeo-aeos': ['hza-hamburg'] } },
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'customs simplifications (AEOC) exempt nothing',
      facts: facts({ certificates: [cert('eu-aeo-aeoc')] }),
      status: 'declaration-required',
      clauses: ['4.2'],
    },
    {
      name: 'a certificate not in force yet exempts from its validFrom',
      facts: facts({ certificates: [cert('iso-28001', { validFrom: at(10) })] }),
      status: 'declaration-required',
      clauses: ['4.2'],
      check: (d) => expect(d.nextChangeAt).toBe(at(10)),
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const d = evaluate(c.facts, c.policy ?? policy, catalogues, now);
      expect(d.status).toBe(c.status);
      expect(d.clauses).toEqual(c.clauses);
      if (c.obligations) expect(d.obligations.map((o) => o.code)).toEqual(c.obligations);
      expect(d.policyVersion).toBe(3);
      c.check?.(d);
    });
  }

  it('applies the buyer’s own review policy over the defaults', () => {
    const f = facts({ declarations: [declaration()], reviews: [review({ method: 'document-review' })] });
    expect(evaluate(f, policy, catalogues, now).riskTier).toBe('low');
    const strict = {
      ...policy,
      review: reviewPolicyOf({
        highRiskCountries: ['DE'],
        tiers: { high: { intervalDays: 180, method: 'site-visit' } },
      }),
    };
    const d = evaluate(f, strict, catalogues, now);
    expect(d.riskTier).toBe('medium');
    const stricter = {
      ...policy,
      review: reviewPolicyOf({ highRiskCountries: ['DE'], highRiskFunctions: ['warehouse'] }),
    };
    const high = evaluate(f, stricter, catalogues, now);
    expect(high.riskTier).toBe('high');
    expect(high.status).toBe('pending-review');
    expect(high.obligations.map((o) => o.code)).toEqual(['review-due', 'review-method']);
    expect(reviewPolicyOf(undefined)).toBe(defaultReviewPolicy);
    expect(
      reviewPolicyOf({ requiredAreas: { byFunction: { warehouse: ['E'] } } }).requiredAreas.byFunction[
        'ocean-carrier'
      ],
    ).toEqual(['C', 'D']);
  });

  it('owes a review task for the declaration: first, then periodic, each with its due date', () => {
    const pending = evaluate(facts({ declarations: [declaration()] }), policy, catalogues, now);
    expect(pending.reviewTask).toEqual({
      declarationId: 'dos-1',
      method: 'document-review',
      riskTier: 'low',
      dueAt: at(20),
      reason: 'first-review',
    });
    const reviewed = evaluate(
      facts({ declarations: [declaration()], reviews: [review({ method: 'questionnaire' })] }),
      policy,
      catalogues,
      now,
    );
    // A low-risk warehouse (no high-risk function or country, no findings): every 3 years.
    expect(reviewed.status).toBe('credible');
    expect(reviewed.reviewTask).toMatchObject({ reason: 'periodic', dueAt: monthsAfter(at(-5), 36) });
    expect(monthsAfter(at(-5), 36)).toBe(at(-5 + 1096));
    expect(evaluate(facts({ certificates: [cert('eu-aeo-aeos')] }), policy, catalogues, now).reviewTask).toBe(
      undefined,
    );
  });

  it('raises the risk tier for an incident within the look-back window, and asks for a review soon after', () => {
    const base = { declarations: [declaration()], reviews: [review({ method: 'questionnaire' })] };
    const serious = incident({ occurredAt: at(-2), severity: 'high' });
    const d = evaluate(facts({ ...base, incidents: [serious] }), policy, catalogues, now);
    // A serious incident makes the low-risk warehouse high risk: the questionnaire no longer
    // suffices, and the first review (due 30 days after the declaration) must be a site visit.
    expect(d.riskTier).toBe('high');
    expect(d.status).toBe('pending-review');
    expect(d.obligations.map((o) => o.code)).toEqual(['review-due', 'review-method']);
    expect(d.reviewTask).toMatchObject({ reason: 'first-review', method: 'site-visit', dueAt: at(20) });
    // After a site visit the 12 months of the high tier apply (31 May 2027 to 31 May 2028:
    // 366 days); the tier stays high until the incident leaves the 24-month window.
    const visited = evaluate(
      facts({
        declarations: [declaration()],
        reviews: [review({ reviewId: 'rev-2', method: 'site-visit', reviewedAt: at(-1) })],
        incidents: [serious],
      }),
      policy,
      catalogues,
      now,
    );
    expect(visited.status).toBe('credible');
    expect(visited.reviewTask).toMatchObject({ reason: 'periodic', method: 'site-visit', dueAt: at(365) });
    // The declaration ends before then.
    expect(visited.nextChangeAt).toBe(at(355));
    // An incident long ago no longer counts.
    const old = evaluate(
      facts({ ...base, incidents: [incident({ occurredAt: at(-731) })] }),
      policy,
      catalogues,
      now,
    );
    expect(old.riskTier).toBe('low');
    expect(old.status).toBe('credible');
    // Incidents after the latest review make the next review due 30 days after the first of them.
    const twice = [incident({ occurredAt: at(-1) }), incident({ incidentId: 'inc-2', occurredAt: at(-4) })];
    const after = evaluate(facts({ ...base, incidents: twice }), policy, catalogues, now);
    expect(after.riskTier).toBe('medium');
    expect(after.status).toBe('credible');
    expect(after.reviewTask).toMatchObject({ reason: 'after-incident', incidentId: 'inc-2', dueAt: at(26) });
    expect(after.obligations[0]!.detail).toContain('after incident inc-2');
    expect(after.nextChangeAt).toBe(at(26));
    expect(evaluate(facts({ ...base, incidents: twice }), policy, catalogues, now + 26 * DAY).status).toBe(
      'review-overdue',
    );
  });

  it('counts a review from its date on, and says when that is', () => {
    const ahead = facts({ declarations: [declaration()], reviews: [review({ reviewedAt: at(1) })] });
    const before = evaluate(ahead, policy, catalogues, now);
    expect(before.status).toBe('pending-review');
    expect(before.nextChangeAt).toBe(at(1));
    expect(evaluate(ahead, policy, catalogues, now + DAY).status).toBe('credible');
  });

  it('says when an exemption ends by itself', () => {
    const d = evaluate(
      facts({ certificates: [cert('iso-28001', { validUntil: at(45) })] }),
      policy,
      catalogues,
      now,
    );
    expect(d.nextChangeAt).toBe(at(45));
    expect(
      evaluate(
        facts({ certificates: [cert('iso-28001', { validUntil: at(45) })] }),
        policy,
        catalogues,
        now + 45 * DAY,
      ).status,
    ).toBe('declaration-required');
  });
});

describe('certificates that are only evidence (ISO 28000, TAPA FSR/TSR)', () => {
  const everything: BuyerPolicy = { ...policy, schemes: [...catalogues.byId.keys()] };
  const all = [...catalogues.byId.get('iso-28000')!.reviewEvidence!.functions];
  const iso28000 = cert('iso-28000', { scope: { functions: all } });
  const fsr = cert('tapa-fsr', { scope: { functions: ['warehouse'] } });
  const tsr = cert('tapa-tsr', { scope: { functions: ['road-carrier'] } });
  const declared = { declarations: [declaration()], reviews: [review({ method: 'questionnaire' })] };
  const lowering = (schemes: string[], extra: Parameters<typeof reviewPolicyOf>[0] = {}): BuyerPolicy => ({
    ...policy,
    review: reviewPolicyOf({ ...extra, riskReducingEvidence: schemes }),
  });

  it('never exempt, not even when the buyer’s policy lists them as recognised', () => {
    for (const c of [iso28000, fsr, tsr]) {
      const d = evaluate(
        facts({ functions: ['warehouse', 'road-carrier'], certificates: [c] }),
        everything,
        catalogues,
        now,
      );
      expect(d.status, c.schemeId).toBe('declaration-required');
      expect(d.clauses, c.schemeId).toEqual(['4.2']);
      expect(d.obligations[0]!.functions, c.schemeId).toEqual(['warehouse', 'road-carrier']);
    }
    // The default policy no longer recognises them at all.
    expect(policy.schemes).not.toContain('iso-28000');
  });

  it('are cited as supporting evidence of the review, for the functions they speak to', () => {
    const d = evaluate(
      facts({ functions: ['warehouse', 'road-carrier'], certificates: [fsr, iso28000], ...declared }),
      everything,
      catalogues,
      now,
    );
    // Not covered under 4.3: the whole scope rests on the reviewed declaration.
    expect(d.status).toBe('credible');
    expect(d.clauses).toEqual(['4.2', '4.5']);
    expect(d.functions.map((f) => `${f.function} ${f.status}`)).toEqual([
      'road-carrier credible',
      'warehouse credible',
    ]);
    expect(d.basis.filter((g) => g.kind === 'certificate')).toEqual([
      {
        kind: 'certificate',
        clause: '4.5',
        certificateId: iso28000.certificateId,
        schemeId: 'iso-28000',
        functions: ['warehouse', 'road-carrier'],
        lowersRiskTier: false,
      },
      {
        kind: 'certificate',
        clause: '4.5',
        certificateId: fsr.certificateId,
        schemeId: 'tapa-fsr',
        functions: ['warehouse'],
        lowersRiskTier: false,
      },
    ]);
    expect(d.riskTier).toBe('medium');
    // Only in force: a lapsed one is not cited, and its end is a change to come.
    const lapsing = evaluate(
      facts({ certificates: [cert('tapa-fsr', { validUntil: at(40) })], ...declared }),
      policy,
      catalogues,
      now,
    );
    expect(lapsing.basis.map((g) => g.kind)).toEqual(['declaration', 'review', 'certificate']);
    expect(lapsing.nextChangeAt).toBe(at(40));
    expect(
      evaluate(
        facts({ certificates: [cert('tapa-fsr', { validUntil: at(40) })], ...declared }),
        policy,
        catalogues,
        now + 40 * DAY,
      ).basis.map((g) => g.kind),
    ).toEqual(['declaration', 'review']);
  });

  it('lower the risk tier one step where the buyer’s policy says so, and only then', () => {
    // A warehouse in a high-risk country is medium risk: a questionnaire every 24 months.
    const risky = { highRiskCountries: ['DE'] };
    const f = facts({ certificates: [fsr], ...declared });
    expect(evaluate(f, { ...policy, review: reviewPolicyOf(risky) }, catalogues, now).riskTier).toBe(
      'medium',
    );
    const d = evaluate(f, lowering(['tapa-fsr'], risky), catalogues, now);
    expect(d.riskTier).toBe('low');
    expect(d.basis.at(-1)).toMatchObject({ schemeId: 'tapa-fsr', lowersRiskTier: true });
    expect(d.reviewTask).toMatchObject({ method: 'document-review', dueAt: monthsAfter(at(-5), 36) });
    // Another scheme's certificate, an unconfirmed claim or another issuer do not count.
    expect(evaluate(f, lowering(['iso-28000'], risky), catalogues, now).riskTier).toBe('medium');
    const claimed = cert('tapa-fsr', {
      trust: 'claimed',
      issuer: undefined,
      scope: { functions: ['warehouse'] },
    });
    expect(
      evaluate(
        facts({ certificates: [claimed], ...declared }),
        lowering(['tapa-fsr'], risky),
        catalogues,
        now,
      ).riskTier,
    ).toBe('medium');
    const elsewhere = { ...lowering(['tapa-fsr'], risky), issuers: { 'tapa-fsr': ['audit-co'] } };
    expect(evaluate(f, elsewhere, catalogues, now).basis.map((g) => g.kind)).toEqual([
      'declaration',
      'review',
    ]);
  });

  it('lower the tier only when they speak to every function under review, and never offset the partner’s record', () => {
    const both = facts({ functions: ['warehouse', 'road-carrier'], ...declared });
    const policyBoth = lowering(['tapa-fsr', 'tapa-tsr']);
    // A road carrier is high-risk exposure: FSR alone speaks to the warehouse only.
    expect(evaluate({ ...both, certificates: [fsr] }, policyBoth, catalogues, now).riskTier).toBe('medium');
    const d = evaluate({ ...both, certificates: [fsr, tsr] }, policyBoth, catalogues, now);
    expect(d.riskTier).toBe('low');
    expect(
      d.basis.filter((g) => g.kind === 'certificate').every((g) => 'lowersRiskTier' in g && g.lowersRiskTier),
    ).toBe(true);
    // An incident within the look-back window, or findings, keep the tier they give.
    const withIncident = { ...both, certificates: [fsr, tsr], incidents: [incident()] };
    expect(evaluate(withIncident, policyBoth, catalogues, now).riskTier).toBe('high');
    const findings = {
      ...both,
      certificates: [fsr, tsr],
      reviews: [review({ method: 'questionnaire', findings: ['gate 2 unlit'] })],
    };
    expect(evaluate(findings, policyBoth, catalogues, now).riskTier).toBe('high');
  });
});

describe('4.3 approvals cover what they are approved for', () => {
  it('an air cargo regulated agent covers the forwarding on its scope, never the air carrier', () => {
    const ra = cert('air-regulated-agent', { scope: { functions: ['forwarder', 'air-carrier'] } });
    const d = evaluate(
      facts({ functions: ['forwarder', 'air-carrier'], certificates: [ra] }),
      policy,
      catalogues,
      now,
    );
    expect(d.status).toBe('declaration-required');
    expect(d.functions.map((f) => `${f.function} ${f.status}`)).toEqual([
      'air-carrier declaration-required',
      'forwarder covered',
    ]);
    expect(d.obligations[0]!.functions).toEqual(['air-carrier']);
  });

  it('a scheme covers a function only where the certificate’s own scope names it', () => {
    const forwarderOnly = cert('air-regulated-agent', { scope: { functions: ['forwarder'] } });
    const d = evaluate(
      facts({ functions: ['warehouse'], certificates: [forwarderOnly] }),
      policy,
      catalogues,
      now,
    );
    expect(d.status).toBe('declaration-required');
    expect(d.basis).toEqual([]);
    const both = cert('air-regulated-agent', { scope: { functions: ['forwarder', 'warehouse'] } });
    const exempt = evaluate(
      facts({ functions: ['warehouse', 'forwarder'], certificates: [both] }),
      policy,
      catalogues,
      now,
    );
    expect(exempt.clauses).toEqual(['4.3', '4.4(b)']);
    // A ship's certificate covers the ocean carrier, not its warehouse.
    const carrier = evaluate(
      facts({
        functions: ['ocean-carrier', 'warehouse'],
        certificates: [cert('isps-issc', { scope: { functions: ['ocean-carrier', 'warehouse'] } })],
      }),
      policy,
      catalogues,
      now,
    );
    expect(carrier.obligations[0]!.functions).toEqual(['warehouse']);
  });
});

describe('review intervals in calendar months', () => {
  // A road carrier in a high-risk country: high risk, a site visit every 12 months.
  const highRisk = { ...policy, review: reviewPolicyOf({ highRiskCountries: ['DE'] }) };
  const reviewedOn = (reviewedAt: string, tierPolicy?: BuyerPolicy) =>
    evaluate(
      facts({
        functions: ['road-carrier'],
        declarations: [
          declaration({
            issuedAt: '2026-01-02T00:00:00.000Z',
            validFrom: '2026-01-02T00:00:00.000Z',
            validUntil: '2030-01-01T00:00:00.000Z',
          }),
        ],
        reviews: [review({ reviewedAt })],
      }),
      tierPolicy ?? highRisk,
      catalogues,
      Date.parse(reviewedAt) + DAY,
    ).reviewTask!;

  it.each([
    // High risk: 12 months. The same day a year later, with or without a 29 February between.
    ['2027-01-20T10:00:00.000Z', '2028-01-20T10:00:00.000Z'],
    ['2027-03-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['2028-02-29T08:00:00.000Z', '2029-02-28T08:00:00.000Z'],
    ['2027-12-31T23:00:00.000Z', '2028-12-31T23:00:00.000Z'],
  ])('a review of %s is due again on %s', (reviewedAt, due) => {
    const task = reviewedOn(reviewedAt);
    expect(task).toMatchObject({ reason: 'periodic', riskTier: 'high', dueAt: due });
  });

  it('ends an interval on the last day of a shorter month (31 August + 6 months = 29 February 2028)', () => {
    const sixMonths = {
      ...policy,
      review: reviewPolicyOf({
        highRiskCountries: ['DE'],
        tiers: { high: { intervalMonths: 6, method: 'site-visit' } },
      }),
    };
    expect(reviewedOn('2027-08-31T09:00:00.000Z', sixMonths).dueAt).toBe('2028-02-29T09:00:00.000Z');
    expect(reviewedOn('2026-08-31T09:00:00.000Z', sixMonths).dueAt).toBe('2027-02-28T09:00:00.000Z');
  });

  it('reads a policy stored in days as the months it stood for', () => {
    // An existing policy said 180 days for "every 6 months": 6 calendar months now.
    const legacy = {
      ...policy,
      review: reviewPolicyOf({
        highRiskCountries: ['DE'],
        tiers: { high: { intervalDays: 180, method: 'site-visit' } },
      }),
    };
    expect(reviewedOn('2027-08-31T09:00:00.000Z', legacy).dueAt).toBe('2028-02-29T09:00:00.000Z');
  });

  it('counts an incident for the 24 months of the look-back window', () => {
    const f = (occurredAt: string) =>
      facts({
        declarations: [declaration()],
        reviews: [review({ method: 'questionnaire' })],
        incidents: [incident({ occurredAt })],
      });
    // 1 June 2025 + 24 months = 1 June 2027, which is now: it no longer counts.
    expect(evaluate(f('2025-06-01T00:00:00.000Z'), policy, catalogues, now).riskTier).toBe('low');
    const later = evaluate(f('2025-06-01T00:00:01.000Z'), policy, catalogues, now);
    expect(later.riskTier).toBe('medium');
    expect(later.nextChangeAt).toBe('2027-06-01T00:00:01.000Z');
  });
});

// ---- properties -------------------------------------------------------------------------

const schemeIds = [...catalogues.byId.keys()];
const functions = [
  'manufacturer',
  'shipper',
  'ocean-carrier',
  'road-carrier',
  'forwarder',
  'warehouse',
  'port-terminal',
] as ServiceFunction[];
const day = fc.integer({ min: -800, max: 800 });
const arbCertificate = fc
  .record({
    i: fc.integer({ min: 0, max: 999 }),
    schemeId: fc.constantFrom(...schemeIds),
    trust: fc.constantFrom('attested' as const, 'claimed' as const),
    state: fc.constantFrom('active' as const, 'suspended' as const, 'withdrawn' as const, 'expired' as const),
    from: day,
    span: fc.integer({ min: 1, max: 1500 }),
    confirmedBy: fc.subarray(['globex', 'umbrella']),
  })
  .map(
    (r): Certificate =>
      cert(r.schemeId, {
        certificateId: `${r.schemeId}~${r.i.toString(16).padStart(20, '0')}`,
        trust: r.trust,
        ...(r.trust === 'claimed' ? { issuer: undefined } : {}),
        state: r.state,
        validFrom: at(r.from),
        ...(catalogues.byId.get(r.schemeId)?.validity === 'dated' ? { validUntil: at(r.from + r.span) } : {}),
        confirmations: r.confirmedBy.map((b) => ({
          buyerId: b,
          reviewer: 'r',
          evidenceRef: 'e',
          confirmedAt: at(0),
        })),
      }),
  );
const arbDeclaration = fc
  .record({
    i: fc.integer({ min: 1, max: 5 }),
    from: day,
    span: fc.integer({ min: 1, max: 800 }),
    areas: fc.subarray([...areaCodes] as AreaCode[]),
    toGlobex: fc.boolean(),
    supersedes: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  })
  .map(
    (r): DeclarationFact =>
      declaration({
        declarationId: `dos-${r.i}`,
        recipients: r.toGlobex ? ['globex'] : ['umbrella'],
        issuedAt: at(r.from),
        validFrom: at(r.from),
        validUntil: at(r.from + r.span),
        areas: r.areas,
        ...(r.supersedes !== undefined && r.supersedes !== r.i ? { supersedes: `dos-${r.supersedes}` } : {}),
      }),
  );
const arbReview = fc
  .record({
    i: fc.integer({ min: 1, max: 9 }),
    d: fc.integer({ min: 1, max: 5 }),
    at: day,
    method: fc.constantFrom('document-review' as const, 'questionnaire' as const, 'site-visit' as const),
    outcome: fc.constantFrom('credible' as const, 'not-credible' as const),
  })
  .map(
    (r): ReviewRecord =>
      review({
        reviewId: `rev-${r.i}`,
        declarationId: `dos-${r.d}`,
        reviewedAt: at(r.at),
        method: r.method,
        outcome: r.outcome,
      }),
  );
const arbIncident = fc
  .record({
    i: fc.integer({ min: 1, max: 4 }),
    at: day,
    severity: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
  })
  .map((r) => incident({ incidentId: `inc-${r.i}`, occurredAt: at(r.at), severity: r.severity }));
const arbFacts = fc
  .record({
    functions: fc.subarray(functions, { minLength: 1 }),
    certificates: fc.uniqueArray(arbCertificate, { maxLength: 4, selector: (c) => c.certificateId }),
    declarations: fc.uniqueArray(arbDeclaration, { maxLength: 3, selector: (d) => d.declarationId }),
    reviews: fc.uniqueArray(arbReview, { maxLength: 3, selector: (r) => r.reviewId }),
    incidents: fc.uniqueArray(arbIncident, { maxLength: 2, selector: (i) => i.incidentId }),
  })
  .map((r) => facts(r));
const certificateGrounds = (d: ReturnType<typeof evaluate>) =>
  d.basis.flatMap((g) => (g.kind === 'certificate' ? [g.certificateId] : []));

describe('properties of the rules', () => {
  it('are deterministic: the same facts, in any order, give the same answer', () => {
    fc.assert(
      fc.property(arbFacts, fc.integer({ min: 0, max: 1000 }), (f, seed) => {
        const shuffle = <T>(xs: readonly T[]) =>
          [...xs].sort(
            (a, b) =>
              ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 31 + seed) % 7),
          );
        const a = evaluate(f, policy, catalogues, now);
        const b = evaluate(
          {
            ...f,
            certificates: shuffle(f.certificates),
            declarations: shuffle(f.declarations),
            reviews: shuffle(f.reviews),
            incidents: shuffle(f.incidents),
          },
          policy,
          catalogues,
          now,
        );
        expect(b).toEqual(a);
      }),
    );
  });

  it('never ground anything on a lapsed, suspended, withdrawn or not yet valid certificate', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const d = evaluate(f, policy, catalogues, now);
        for (const id of certificateGrounds(d)) {
          const c = f.certificates.find((x) => x.certificateId === id)!;
          expect(c.state).toBe('active');
          expect(Date.parse(c.validFrom)).toBeLessThanOrEqual(now);
          if (c.validUntil !== undefined) expect(Date.parse(c.validUntil)).toBeGreaterThan(now);
        }
      }),
    );
  });

  it('never exempt on a certificate that is only evidence, whatever the policy recognises', () => {
    const everything: BuyerPolicy = { ...policy, schemes: [...catalogues.byId.keys()] };
    fc.assert(
      fc.property(arbFacts, (f) => {
        const d = evaluate(f, everything, catalogues, now);
        for (const g of d.basis) {
          if (g.kind !== 'certificate') continue;
          const scheme = catalogues.byId.get(g.schemeId)!;
          if (g.clause === '4.5') expect(scheme.reviewEvidence).toBeDefined();
          else expect(scheme.reviewEvidence, `${g.schemeId} grounds ${g.clause}`).toBeUndefined();
        }
      }),
    );
  });

  it('never ground anything on a claim this buyer did not confirm', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const d = evaluate(f, policy, catalogues, now);
        for (const id of certificateGrounds(d)) {
          const c = f.certificates.find((x) => x.certificateId === id)!;
          if (c.trust === 'claimed') expect(c.confirmations.map((x) => x.buyerId)).toContain('globex');
        }
      }),
    );
  });

  it('never call a partner credible without a recorded credible review of its declaration in force', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const d = evaluate(f, policy, catalogues, now);
        if (d.status === 'credible' || d.functions.some((x) => x.status === 'credible')) {
          const grounds = d.basis.filter((g) => g.kind === 'review');
          expect(grounds).toHaveLength(1);
          const r = f.reviews.find(
            (x) => grounds[0]!.kind === 'review' && x.reviewId === grounds[0]!.reviewId,
          )!;
          expect(r.outcome).toBe('credible');
          expect(Date.parse(r.reviewedAt)).toBeLessThanOrEqual(now);
        }
        if (f.reviews.length === 0) expect(d.status).not.toBe('credible');
      }),
    );
  });

  it('cite every clause their basis rests on, and say when the answer changes next', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const d = evaluate(f, policy, catalogues, now);
        for (const g of d.basis) expect(d.clauses).toContain(g.clause);
        if (d.nextChangeAt !== undefined) {
          const next = Date.parse(d.nextChangeAt);
          expect(next).toBeGreaterThan(now);
          // Nothing changes before that instant: not the status, its tier or the task owed.
          const before = evaluate(f, policy, catalogues, next - 1);
          expect([before.status, before.riskTier, before.reviewTask]).toEqual([
            d.status,
            d.riskTier,
            d.reviewTask,
          ]);
        }
      }),
    );
  });
});
