import type { ServiceFunction } from '@pdx/schemes';
import { addMonths } from './calendar.js';
import type { Clause, Ground, Later, Obligation, PathResult, ReviewTask, Supporting } from './decision.js';
import {
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
import { byString, DAY_MS, iso } from './order.js';

const methodWords = (m: ReviewMethod) => reviewMethodNames[m];

/**
 * ISO 28001 4.5 for a declaration in force that covers what it must: the partner's risk tier
 * (with the incidents in the look-back window and the supporting evidence the policy lets
 * lower it), the extent and interval that tier asks, the latest review of this declaration
 * and the review task owed next (first, periodic, or sooner after an incident).
 */
export function reviewPath(
  facts: PartnerFacts,
  policy: BuyerPolicy,
  functions: readonly ServiceFunction[],
  current: DeclarationFact,
  basis: readonly Ground[],
  supporting: readonly Supporting[],
  now: number,
  later: Later,
): PathResult {
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
