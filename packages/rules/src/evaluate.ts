import type { Certificate } from '@pdx/contracts';
import { type Catalogues, effectiveState, type IsoBasis, type ServiceFunction } from '@pdx/schemes';
import { addMonths } from './calendar.js';
import {
  type AreaCode,
  areaNames,
  type BuyerPolicy,
  type DeclarationFact,
  type IncidentFact,
  type PartnerFacts,
  type ReviewMethod,
  type ReviewRecord,
  type RiskTier,
  reviewMethodNames,
  reviewMethods,
} from './facts.js';

/** The ISO 28001 clauses a decision cites. */
export type Clause = '4.2' | '4.3' | '4.4(a)' | '4.4(b)' | '4.4(c)' | '4.5';

export const partnerStatuses = [
  'exempt',
  'covered',
  'credible',
  'pending-review',
  'incomplete',
  'declaration-required',
  'review-overdue',
  'not-credible',
] as const;
/** On what basis a business partner is trusted, if at all (listed best first). */
export type PartnerStatus = (typeof partnerStatuses)[number];

export type ObligationCode =
  | 'declaration-required'
  | 'areas-missing'
  | 'review-due'
  | 'review-overdue'
  | 'review-method'
  | 'not-credible';

/** What is left to do, and by when. */
export interface Obligation {
  code: ObligationCode;
  clause: Clause;
  detail: string;
  dueAt?: string;
  functions?: ServiceFunction[];
  areas?: AreaCode[];
}

/** A fact a decision rests on. */
export type Ground =
  | {
      kind: 'certificate';
      clause: '4.3' | '4.4(a)' | '4.4(c)';
      certificateId: string;
      schemeId: string;
      functions?: ServiceFunction[];
    }
  | {
      /**
       * Supporting evidence for the review (ISO 28001 4.5): a certificate that is only
       * evidence (ISO 28000, TAPA), for the functions under review it speaks to. It never
       * grounds an exemption; it lowers the risk tier only where the buyer's policy says so.
       */
      kind: 'certificate';
      clause: '4.5';
      certificateId: string;
      schemeId: string;
      functions: ServiceFunction[];
      lowersRiskTier: boolean;
    }
  | { kind: 'declaration'; clause: '4.2'; declarationId: string }
  | { kind: 'review'; clause: '4.5'; reviewId: string; outcome: ReviewRecord['outcome'] };

/**
 * The review (ISO 28001 4.5) the buyer owes next: of which declaration, how, by when and why.
 * It stays the same task until one of these changes.
 */
export interface ReviewTask {
  declarationId: string;
  method: ReviewMethod;
  riskTier: RiskTier;
  dueAt: string;
  reason: 'first-review' | 'periodic' | 'after-incident';
  /** The incident that called for it (reason after-incident). */
  incidentId?: string;
}

export interface FunctionStatus {
  function: ServiceFunction;
  status: PartnerStatus;
  clause: Clause;
  certificateId?: string;
}

export interface Decision {
  buyerId: string;
  partnerId: string;
  status: PartnerStatus;
  clauses: Clause[];
  basis: Ground[];
  functions: FunctionStatus[];
  obligations: Obligation[];
  riskTier?: RiskTier;
  /** The next review the buyer owes, while the partner's trust rests on its declaration. */
  reviewTask?: ReviewTask;
  /** When the answer changes by itself (a validity ends or begins, a review falls due). */
  nextChangeAt?: string;
  evaluatedAt: string;
  policyVersion: number;
  catalogueVersion: number;
}

const DAY_MS = 86_400_000;
const methodWords = (m: ReviewMethod) => reviewMethodNames[m];
const iso = (ms: number) => new Date(ms).toISOString();
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const clauseOrder: Clause[] = ['4.2', '4.3', '4.4(a)', '4.4(b)', '4.4(c)', '4.5'];

/**
 * Pure and deterministic: the status of one business partner for one buyer at `now`, with
 * the clauses that ground it, what is left to do, and when the answer changes by itself.
 *
 * - 4.4(a)/(c): a certificate of a scheme that supports it, recognised by the buyer, in force
 *   now, attested (or, if claimed, confirmed by this buyer's reviewer) exempts the partner.
 * - 4.3: certificates cover the functions their scheme names; when they cover the whole
 *   scope of service the partner is exempt under 4.4(b), otherwise the rest still needs a
 *   declaration.
 * - 4.2: the functions not covered need a declaration in force, addressed to the buyer, not
 *   superseded, covering the areas those functions require.
 * - 4.5: a declaration is credible only after a review of the extent the partner's risk tier
 *   asks, and until the next review falls due (intervals in calendar months). Certificates
 *   that are only evidence (ISO 28000, TAPA) are cited as supporting evidence and, where the
 *   buyer's policy says so, lower the risk tier; they never exempt, whatever the policy lists.
 */
export function evaluate(
  facts: PartnerFacts,
  policy: BuyerPolicy,
  catalogues: Catalogues,
  now: number,
): Decision {
  const dates: number[] = [];
  const later = (ms: number) => {
    if (ms > now) dates.push(ms);
  };
  const result = (
    d: Omit<
      Decision,
      | 'buyerId'
      | 'partnerId'
      | 'evaluatedAt'
      | 'policyVersion'
      | 'catalogueVersion'
      | 'nextChangeAt'
      | 'clauses'
    > & { clauses: Clause[] },
  ): Decision => {
    const next = dates.length === 0 ? undefined : Math.min(...dates);
    return {
      buyerId: facts.buyerId,
      partnerId: facts.partnerId,
      ...d,
      clauses: clauseOrder.filter((c) => d.clauses.includes(c)),
      ...(next === undefined ? {} : { nextChangeAt: iso(next) }),
      evaluatedAt: iso(now),
      policyVersion: policy.version,
      catalogueVersion: catalogues.schemes.version,
    };
  };

  const recognised = facts.certificates
    .filter((c) => recognises(policy, facts.buyerId, c))
    .sort((a, b) => byString(a.certificateId, b.certificateId));
  for (const c of recognised) {
    later(Date.parse(c.validFrom));
    if (c.validUntil !== undefined) later(Date.parse(c.validUntil));
  }
  const usable = recognised.filter((c) => effectiveState(c, now) === 'active');
  // What a scheme grounds. A scheme that is evidence for a review grounds nothing, even if a
  // policy lists it as recognised (the catalogue never gives it a basis either).
  const basisOf = (c: Certificate): IsoBasis[] => {
    const scheme = catalogues.byId.get(c.schemeId);
    return scheme === undefined || scheme.reviewEvidence !== undefined ? [] : scheme.isoBasis;
  };
  // Evidence a review may take into account, whatever schemes the policy recognises, but
  // only as far as it can be trusted: attested by an issuer the buyer accepts, or confirmed.
  const evidence = facts.certificates
    .filter(
      (c) =>
        catalogues.byId.get(c.schemeId)?.reviewEvidence !== undefined && trusted(policy, facts.buyerId, c),
    )
    .sort((a, b) => byString(a.certificateId, b.certificateId));
  for (const c of evidence) {
    later(Date.parse(c.validFrom));
    if (c.validUntil !== undefined) later(Date.parse(c.validUntil));
  }
  const supporting: Supporting[] = evidence
    .filter((c) => effectiveState(c, now) === 'active')
    .map((c) => ({
      certificate: c,
      speaksTo: catalogues.byId.get(c.schemeId)?.reviewEvidence?.functions ?? [],
    }));

  // 4.4(a) and (c): one certificate exempts the partner outright.
  const exempting = usable
    .flatMap((c) =>
      basisOf(c)
        .filter((b) => b.clause === '4.4(a)' || b.clause === '4.4(c)')
        .map((b) => ({ certificate: c, clause: b.clause as '4.4(a)' | '4.4(c)' })),
    )
    .sort(
      (a, b) =>
        byString(a.clause, b.clause) || byString(a.certificate.certificateId, b.certificate.certificateId),
    );
  const exemption = exempting[0];
  if (exemption) {
    return result({
      status: 'exempt',
      clauses: [exemption.clause],
      basis: [
        {
          kind: 'certificate',
          clause: exemption.clause,
          certificateId: exemption.certificate.certificateId,
          schemeId: exemption.certificate.schemeId,
        },
      ],
      functions: facts.functions.map((f) => ({
        function: f,
        status: 'exempt',
        clause: exemption.clause,
        certificateId: exemption.certificate.certificateId,
      })),
      obligations: [],
    });
  }

  // 4.3: approvals for the functions their scheme covers and they are approved for (an air
  // cargo approval covers the parts of the partner's business on its scope, no others).
  const coveredBy = new Map<ServiceFunction, Certificate>();
  for (const f of facts.functions) {
    const covering = usable.find(
      (c) =>
        c.scope.functions.includes(f) &&
        basisOf(c).some((b) => b.clause === '4.3' && b.functions.includes(f)),
    );
    if (covering) coveredBy.set(f, covering);
  }
  const coverage: Ground[] = [...new Set(coveredBy.values())].map((c) => ({
    kind: 'certificate',
    clause: '4.3',
    certificateId: c.certificateId,
    schemeId: c.schemeId,
    functions: facts.functions.filter((f) => coveredBy.get(f) === c),
  }));
  const coveredFunctions: FunctionStatus[] = [...coveredBy].map(([f, c]) => ({
    function: f,
    status: 'covered',
    clause: '4.3',
    certificateId: c.certificateId,
  }));
  const uncovered = facts.functions.filter((f) => !coveredBy.has(f));
  if (facts.functions.length > 0 && uncovered.length === 0) {
    return result({
      status: 'exempt',
      clauses: ['4.3', '4.4(b)'],
      basis: coverage,
      functions: coveredFunctions,
      obligations: [],
    });
  }

  // A review counts from its date on (one dated a little ahead, within the clock skew
  // intake tolerates, changes the answer when that moment comes).
  for (const r of facts.reviews) later(Date.parse(r.reviewedAt));
  const sofar = { ...facts, reviews: facts.reviews.filter((r) => Date.parse(r.reviewedAt) <= now) };
  const path = declarationPath(sofar, policy, uncovered, supporting, now, later);
  const status: PartnerStatus = coverage.length > 0 && path.status === 'credible' ? 'covered' : path.status;
  return result({
    status,
    clauses: [...(coverage.length > 0 ? (['4.3'] as Clause[]) : []), ...path.clauses],
    basis: [...coverage, ...path.basis],
    functions: [
      ...coveredFunctions,
      ...uncovered.map((f) => ({ function: f, status: path.status, clause: path.clause })),
    ].sort((a, b) => byString(a.function, b.function)),
    obligations: path.obligations,
    ...(path.riskTier ? { riskTier: path.riskTier } : {}),
    ...(path.reviewTask ? { reviewTask: path.reviewTask } : {}),
  });
}

/** Recognised by this buyer: scheme, issuer, and a claim only once this buyer confirmed it. */
function recognises(policy: BuyerPolicy, buyerId: string, c: Certificate): boolean {
  return policy.schemes.includes(c.schemeId) && trusted(policy, buyerId, c);
}

/** Attested by an issuer the buyer accepts for the scheme, or a claim this buyer confirmed. */
function trusted(policy: BuyerPolicy, buyerId: string, c: Certificate): boolean {
  if (c.trust === 'claimed') return c.confirmations.some((x) => x.buyerId === buyerId);
  const issuers = policy.issuers[c.schemeId];
  return issuers === undefined || (c.issuer !== undefined && issuers.includes(c.issuer));
}

/** A certificate in force that is evidence for a review, and the functions it speaks to. */
interface Supporting {
  certificate: Certificate;
  speaksTo: readonly ServiceFunction[];
}

interface PathResult {
  status: Exclude<PartnerStatus, 'exempt' | 'covered'>;
  clause: Clause;
  clauses: Clause[];
  basis: Ground[];
  obligations: Obligation[];
  riskTier?: RiskTier;
  reviewTask?: ReviewTask;
}

/** 4.2 and 4.5 for the functions no certificate covers. */
function declarationPath(
  facts: PartnerFacts,
  policy: BuyerPolicy,
  functions: readonly ServiceFunction[],
  supporting: readonly Supporting[],
  now: number,
  later: (ms: number) => void,
): PathResult {
  const addressed = facts.declarations.filter((d) => d.recipients.includes(facts.buyerId));
  const superseded = new Set(
    facts.declarations.flatMap((d) => (d.supersedes === undefined ? [] : [d.supersedes])),
  );
  for (const d of addressed) {
    later(Date.parse(d.validFrom));
    later(Date.parse(d.validUntil));
  }
  const inForce = addressed
    .filter(
      (d) =>
        !superseded.has(d.declarationId) && Date.parse(d.validFrom) <= now && now < Date.parse(d.validUntil),
    )
    .sort((a, b) => byString(b.issuedAt, a.issuedAt) || byString(a.declarationId, b.declarationId));
  const current = inForce[0];
  if (!current) {
    const why =
      addressed.length === 0
        ? 'no declaration addressed to the buyer'
        : addressed.every((d) => Date.parse(d.validUntil) <= now)
          ? 'every declaration has expired'
          : addressed.some((d) => superseded.has(d.declarationId))
            ? 'the declaration was superseded without a successor in force'
            : 'no declaration is in force yet';
    return {
      status: 'declaration-required',
      clause: '4.2',
      clauses: ['4.2'],
      basis: [],
      obligations: [
        {
          code: 'declaration-required',
          clause: '4.2',
          detail: `${why} (ISO 28001 4.2)`,
          functions: [...functions],
        },
      ],
    };
  }
  const basis: Ground[] = [{ kind: 'declaration', clause: '4.2', declarationId: current.declarationId }];

  const missing = missingAreas(policy, functions, current);
  if (missing.length > 0) {
    return {
      status: 'incomplete',
      clause: '4.2',
      clauses: ['4.2'],
      basis,
      obligations: [
        {
          code: 'areas-missing',
          clause: '4.2',
          detail: missing.map((m) => `area ${m.area} (${areaNames[m.area]}) missing for ${m.for}`).join('; '),
          areas: missing.map((m) => m.area),
        },
      ],
    };
  }

  const incidents = facts.incidents
    .filter((i) => {
      const at = Date.parse(i.occurredAt);
      const until = addMonths(at, policy.review.incidentLookbackMonths);
      later(at);
      later(until);
      return at <= now && now < until;
    })
    .sort((a, b) => byString(b.occurredAt, a.occurredAt) || byString(a.incidentId, b.incidentId));
  // Supporting evidence (ISO 28001 4.5): what each certificate speaks to of the functions under
  // review. Those of the schemes the policy lets lower the tier do so when together they speak
  // to every function reviewed.
  const cited = supporting
    .map((s) => ({
      ...s,
      functions: functions.filter((f) => s.speaksTo.includes(f) && s.certificate.scope.functions.includes(f)),
    }))
    .filter((s) => s.functions.length > 0);
  const reducing = cited.filter((s) => policy.review.riskReducingEvidence.includes(s.certificate.schemeId));
  const reduced = new Set(reducing.flatMap((s) => s.functions));
  const evidenceCovers = functions.length > 0 && functions.every((f) => reduced.has(f));
  const tier = riskTier(facts, policy, functions, incidents, evidenceCovers);
  const lowered = evidenceCovers && tier !== riskTier(facts, policy, functions, incidents);
  const evidenceGrounds: Ground[] = cited.map((s) => ({
    kind: 'certificate',
    clause: '4.5',
    certificateId: s.certificate.certificateId,
    schemeId: s.certificate.schemeId,
    functions: s.functions,
    lowersRiskTier: lowered && reducing.includes(s),
  }));
  const { intervalMonths, method } = policy.review.tiers[tier];
  const extent = (m: ReviewRecord['method']) => reviewMethods.indexOf(m);
  const reviews = facts.reviews
    .filter((r) => r.declarationId === current.declarationId)
    .sort((a, b) => byString(b.reviewedAt, a.reviewedAt) || byString(a.reviewId, b.reviewId));
  const latest = reviews[0];
  const common = { clause: '4.5' as const, clauses: ['4.2', '4.5'] as Clause[], riskTier: tier };
  if (latest?.outcome === 'not-credible') {
    return {
      ...common,
      status: 'not-credible',
      basis: [
        ...basis,
        { kind: 'review', clause: '4.5', reviewId: latest.reviewId, outcome: latest.outcome },
        ...evidenceGrounds,
      ],
      obligations: [
        {
          code: 'not-credible',
          clause: '4.5',
          detail: `the review of ${latest.reviewedAt.slice(0, 10)} found the declaration not credible${latest.findings.length > 0 ? `: ${latest.findings.join('; ')}` : ''}`,
        },
      ],
    };
  }
  const sufficient = latest !== undefined && extent(latest.method) >= extent(method);
  const task = (due: number, reason: ReviewTask['reason'], incident?: IncidentFact): ReviewTask => ({
    declarationId: current.declarationId,
    method,
    riskTier: tier,
    dueAt: iso(due),
    reason,
    ...(incident ? { incidentId: incident.incidentId } : {}),
  });
  // The review owed next: the regular one, or sooner, 30 days (by policy) after the first
  // incident since the latest review or the declaration (ISO 28001 4.5, 5.7).
  const owed = (since: number, regular: number, reason: 'first-review' | 'periodic'): ReviewTask => {
    const incident = incidents.filter((i) => Date.parse(i.occurredAt) > since).at(-1);
    const afterIncident =
      incident && Date.parse(incident.occurredAt) + policy.review.reviewAfterIncidentWithinDays * DAY_MS;
    return incident && afterIncident !== undefined && afterIncident < regular
      ? task(afterIncident, 'after-incident', incident)
      : task(regular, reason);
  };
  if (latest && sufficient) {
    const reviewedAt = Date.parse(latest.reviewedAt);
    // Calendar months from the review's date: a review of 20 January is due on 20 January.
    const next = owed(reviewedAt, addMonths(reviewedAt, intervalMonths), 'periodic');
    const due = Date.parse(next.dueAt);
    const what =
      next.reason === 'after-incident'
        ? `${methodWords(method)} after incident ${next.incidentId} (${tier} risk)`
        : `${methodWords(method)} (${tier} risk)`;
    later(due);
    const reviewBasis: Ground = {
      kind: 'review',
      clause: '4.5',
      reviewId: latest.reviewId,
      outcome: latest.outcome,
    };
    if (now < due) {
      return {
        ...common,
        status: 'credible',
        basis: [...basis, reviewBasis, ...evidenceGrounds],
        obligations: [{ code: 'review-due', clause: '4.5', detail: `next ${what}`, dueAt: iso(due) }],
        reviewTask: next,
      };
    }
    return {
      ...common,
      status: 'review-overdue',
      basis: [...basis, reviewBasis, ...evidenceGrounds],
      obligations: [
        {
          code: 'review-overdue',
          clause: '4.5',
          detail: `a ${what} was due`,
          dueAt: iso(due),
        },
      ],
      reviewTask: next,
    };
  }
  const issuedAt = Date.parse(current.issuedAt);
  const next = owed(issuedAt, issuedAt + policy.review.firstReviewWithinDays * DAY_MS, 'first-review');
  const firstDue = Date.parse(next.dueAt);
  later(firstDue);
  const obligations: Obligation[] = [
    now < firstDue
      ? {
          code: 'review-due',
          clause: '4.5',
          detail: `first ${methodWords(method)} of the declaration (${tier} risk)`,
          dueAt: iso(firstDue),
        }
      : {
          code: 'review-overdue',
          clause: '4.5',
          detail: `the first ${methodWords(method)} of the declaration (${tier} risk) was due`,
          dueAt: iso(firstDue),
        },
  ];
  if (latest && !sufficient) {
    obligations.push({
      code: 'review-method',
      clause: '4.5',
      detail: `the ${methodWords(latest.method)} of ${latest.reviewedAt.slice(0, 10)} is less than the ${methodWords(method)} ${tier} risk asks`,
    });
  }
  return {
    ...common,
    status: now < firstDue ? 'pending-review' : 'review-overdue',
    basis: [...basis, ...evidenceGrounds],
    obligations,
    reviewTask: next,
  };
}

/** Areas the functions require that the declaration does not cover, each with who needs it. */
function missingAreas(
  policy: BuyerPolicy,
  functions: readonly ServiceFunction[],
  declaration: DeclarationFact,
): { area: AreaCode; for: string }[] {
  const needs = new Map<AreaCode, Set<string>>();
  const need = (area: AreaCode, who: string) => needs.set(area, (needs.get(area) ?? new Set()).add(who));
  for (const area of policy.review.requiredAreas.all) need(area, 'every partner');
  for (const f of functions)
    for (const area of policy.review.requiredAreas.byFunction[f] ?? []) need(area, f);
  return [...needs]
    .filter(([area]) => !declaration.areas.includes(area))
    .sort(([a], [b]) => byString(a, b))
    .map(([area, who]) => ({ area, for: [...who].join(', ') }));
}

/**
 * The partner's risk tier (ISO 28001 4.5: extent and frequency follow from a risk
 * analysis): high-risk functions or countries, incidents recorded within the policy's
 * look-back window and earlier findings raise it. Evidence the buyer's policy counts
 * (`evidenceCovers`: certificates such as ISO 28000 or TAPA speaking to every function under
 * review) lowers it one step, but never offsets the partner's own record with this buyer.
 */
export function riskTier(
  facts: PartnerFacts,
  policy: BuyerPolicy,
  functions: readonly ServiceFunction[],
  incidents: readonly IncidentFact[],
  evidenceCovers = false,
): RiskTier {
  const countries = new Set([facts.country, ...facts.locations.map((l) => l.slice(0, 2))]);
  let exposure = 0;
  if (functions.some((f) => policy.review.highRiskFunctions.includes(f))) exposure += 2;
  if ([...countries].some((c) => policy.review.highRiskCountries.includes(c))) exposure += 2;
  let record = 0;
  // Incidents within the look-back window: a serious one alone makes the partner high risk.
  if (incidents.some((i) => i.severity === 'high')) record += 3;
  else if (incidents.length > 0) record += 2;
  record += Math.min(2, facts.reviews.filter((r) => r.outcome === 'not-credible').length);
  if (facts.reviews.some((r) => r.outcome === 'credible' && r.findings.length > 0)) record += 1;
  const score = exposure + record;
  const tier: RiskTier = score >= 3 ? 'high' : score >= 1 ? 'medium' : 'low';
  if (!evidenceCovers || record > 0) return tier;
  return tier === 'high' ? 'medium' : 'low';
}
