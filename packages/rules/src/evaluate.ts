import type { Certificate } from '@pdx/contracts';
import { type Catalogues, effectiveState, type IsoBasis, type ServiceFunction } from '@pdx/schemes';
import type { Clause, Decision, FunctionStatus, Ground, PartnerStatus, Supporting } from './decision.js';
import { declarationPath } from './declaration-path.js';
import type { BuyerPolicy, PartnerFacts } from './facts.js';
import { byString, iso } from './order.js';
import { reviewPath } from './review-path.js';

// The decision types live in decision.ts; the two named here are what callers of evaluate name most.
export type { Clause, PartnerStatus } from './decision.js';

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
  const declared = declarationPath(sofar, policy, uncovered, now, later);
  const path =
    'settled' in declared
      ? declared.settled
      : reviewPath(sofar, policy, uncovered, declared.current, declared.basis, supporting, now, later);
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
