import { canonicalJson, type PartnerDecision } from '@pdx/contracts';

/** An exemption (ISO 28001 4.4): its clause and the certificates it rests on, sorted. */
export interface Exemption {
  clause: '4.4(a)' | '4.4(b)' | '4.4(c)';
  certificateIds: string[];
}

/** Pure: the exemption a decision grants (undefined: none). */
export function exemptionOf(d: PartnerDecision | undefined): Exemption | undefined {
  if (d?.status !== 'exempt') return undefined;
  const clause = d.clauses.includes('4.4(b)') ? '4.4(b)' : d.clauses.includes('4.4(a)') ? '4.4(a)' : '4.4(c)';
  const certificateIds = d.basis
    .flatMap((g) => (g.certificateId === undefined ? [] : [g.certificateId]))
    .sort();
  return { clause, certificateIds };
}

/** What happened to a pair's exemption between two decisions. */
export type ExemptionChange =
  | { kind: 'granted'; exemption: Exemption }
  | { kind: 'revoked'; exemption: Exemption }
  | { kind: 'basis-changed'; previous: Exemption; exemption: Exemption };

/**
 * Pure: the one change between the exemption in force before and the one after (undefined:
 * none). A partner exempt on both sides stayed exempt throughout — a renewal with a new
 * certificate, another recognised certificate taking over, another clause — so that is one
 * change of basis, not an end and a new start at the same instant. An exemption that ends
 * and is granted again later (a suspension lifted) went through a decision without one: a
 * revocation, then a grant.
 */
export function exemptionChange(
  before: Exemption | undefined,
  after: Exemption | undefined,
): ExemptionChange | undefined {
  if (before && after) {
    return canonicalJson(before) === canonicalJson(after)
      ? undefined
      : { kind: 'basis-changed', previous: before, exemption: after };
  }
  if (before) return { kind: 'revoked', exemption: before };
  if (after) return { kind: 'granted', exemption: after };
  return undefined;
}
