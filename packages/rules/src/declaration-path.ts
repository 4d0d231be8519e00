import type { ServiceFunction } from '@pdx/schemes';
import type { Ground, Later, PathResult } from './decision.js';
import {
  type AreaCode,
  areaNames,
  type BuyerPolicy,
  type DeclarationFact,
  type PartnerFacts,
} from './facts.js';
import { byString } from './order.js';

/**
 * ISO 28001 4.2 for the functions no certificate covers: the declaration in force, addressed
 * to the buyer and not superseded (the latest issued), covering the areas those functions
 * require. Either the path ends here (`settled`: declaration required, or incomplete), or the
 * declaration goes on to its review (4.5, review-path.ts).
 */
export function declarationPath(
  facts: PartnerFacts,
  policy: BuyerPolicy,
  functions: readonly ServiceFunction[],
  now: number,
  later: Later,
): { settled: PathResult } | { current: DeclarationFact; basis: Ground[] } {
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
    const settled: PathResult = {
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
    return { settled };
  }
  const basis: Ground[] = [{ kind: 'declaration', clause: '4.2', declarationId: current.declarationId }];

  const missing = missingAreas(policy, functions, current);
  if (missing.length > 0) {
    const settled: PathResult = {
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
    return { settled };
  }
  return { current, basis };
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
