import type { PartnerDecision } from './api.js';
import { type MessageKey, t } from './messages.js';

export type Status = PartnerDecision['status'];
type Obligation = PartnerDecision['obligations'][number];

/** The statuses in the order the counts show them: settled first, then what needs action. */
export const statusOrder: readonly Status[] = [
  'exempt',
  'covered',
  'credible',
  'pending-review',
  'incomplete',
  'declaration-required',
  'review-overdue',
  'not-credible',
];

/** How many partners have each status (every status, zero included), in statusOrder. */
export function countByStatus(partners: readonly PartnerDecision[]): { status: Status; count: number }[] {
  return statusOrder.map((status) => ({ status, count: partners.filter((p) => p.status === status).length }));
}

/** The obligation due first (one without a due date comes after those with one). */
export function nextObligation(decision: PartnerDecision): Obligation | undefined {
  return [...decision.obligations].sort((a, b) => {
    if (a.dueAt === b.dueAt) return 0;
    if (a.dueAt === undefined) return 1;
    if (b.dueAt === undefined) return -1;
    return Date.parse(a.dueAt) - Date.parse(b.dueAt);
  })[0];
}

/** The facts a decision rests on, in words: "certificate AEO-1 (4.4(a))". */
export function basisText(decision: PartnerDecision): string[] {
  return decision.basis.map((b) => {
    const id = b.certificateId ?? b.declarationId ?? b.reviewId ?? '';
    const what = t(`basis.${b.kind}` as MessageKey, { id }).trim();
    return `${what} (${b.clause})`;
  });
}

/** The word for a status. */
export const statusWord = (status: Status): string => t(`status.${status}` as MessageKey);

/** The partners in the order the list shows them: the next due date first, then by id. */
export function sortPartners(partners: readonly PartnerDecision[]): PartnerDecision[] {
  const due = (p: PartnerDecision) => {
    const at = nextObligation(p)?.dueAt;
    return at === undefined ? Number.POSITIVE_INFINITY : Date.parse(at);
  };
  return [...partners].sort((a, b) => due(a) - due(b) || a.partnerId.localeCompare(b.partnerId));
}
