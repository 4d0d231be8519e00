import type { EventOf } from '@pdx/contracts';
import type { AreaCode } from '@pdx/rules';
import type {
  DeclarationDoc,
  HistoryDoc,
  IncidentDoc,
  PolicyDoc,
  ReviewDoc,
  ReviewTaskDoc,
} from './fact-docs.js';

// Pure: the review service's own facts after an event. The shared ones (parties, links,
// certificates) evolve in @pdx/read-models. Each gives the same document for the same event,
// so an event applied twice leaves what applying it once left.

/** The declaration as the rules engine reads it (ISO 28001 4.2), with its JWS for re-verification. */
export function declarationDocOf(event: EventOf<'org.pdx.declaration.submitted.v1'>): DeclarationDoc {
  const { declaration, jws, submittedAt } = event.data;
  return {
    id: `${declaration.issuer}~${declaration.declarationId}`,
    issuer: declaration.issuer,
    jws,
    submittedAt,
    fact: {
      declarationId: declaration.declarationId,
      recipients: declaration.recipients,
      issuedAt: declaration.issuedAt,
      validFrom: declaration.validity.from,
      validUntil: declaration.validity.until,
      areas: Object.keys(declaration.measures).sort() as AreaCode[],
      ...(declaration.supersedes === undefined ? {} : { supersedes: declaration.supersedes }),
    },
  };
}

/** A buyer's policy: a newer version replaces the one known; an older or repeated one changes nothing. */
export function evolvePolicy(
  current: PolicyDoc | undefined,
  event: EventOf<'org.pdx.recognition-policy.changed.v1'>,
): PolicyDoc | undefined {
  const { policy } = event.data;
  if (current && current.version >= policy.version) return undefined;
  return {
    id: policy.buyerId,
    version: policy.version,
    schemes: policy.schemes,
    issuers: Object.fromEntries(Object.entries(policy.issuers).map(([k, v]) => [k, v ?? []])),
    ...(policy.review === undefined ? {} : { review: policy.review }),
  };
}

/** A credibility review a buyer recorded (ISO 28001 4.5), as the engine reads it and as evidence. */
export function reviewDocOf(event: EventOf<'org.pdx.review.recorded.v1'>): ReviewDoc {
  const { review } = event.data;
  return {
    id: `${review.buyerId}~${review.reviewId}`,
    buyerId: review.buyerId,
    partnerId: review.partnerId,
    review: {
      reviewId: review.reviewId,
      declarationId: review.declarationId,
      reviewedAt: review.reviewedAt,
      reviewer: review.reviewer,
      method: review.method,
      outcome: review.outcome,
      findings: review.findings,
    },
    record: review,
  };
}

/** A security incident a buyer recorded (ISO 28001 5.7), as the engine reads it. */
export function incidentDocOf(event: EventOf<'org.pdx.incident.recorded.v1'>): IncidentDoc {
  const { incident } = event.data;
  return {
    id: `${incident.buyerId}~${incident.incidentId}`,
    buyerId: incident.buyerId,
    partnerId: incident.partnerId,
    incident: {
      incidentId: incident.incidentId,
      occurredAt: incident.occurredAt,
      severity: incident.severity,
    },
  };
}

/**
 * A review task of the buyer's list: opened once (an opening seen again, or after its close,
 * changes nothing); closed with its outcome, keeping when it was opened (a close seen first
 * takes its own time for that).
 */
export function evolveTask(
  current: ReviewTaskDoc | undefined,
  event: EventOf<'org.pdx.review-task.opened.v1'> | EventOf<'org.pdx.review-task.closed.v1'>,
): ReviewTaskDoc | undefined {
  if (event.type === 'org.pdx.review-task.opened.v1') {
    if (current) return undefined;
    const { taskId, buyerId, partnerId, task, openedAt } = event.data;
    return { id: taskId, buyerId, partnerId, task, state: 'open', dueMs: Date.parse(task.dueAt), openedAt };
  }
  const { taskId, buyerId, partnerId, task, closedAt, outcome, reviewId } = event.data;
  return {
    id: taskId,
    buyerId,
    partnerId,
    task,
    dueMs: Date.parse(task.dueAt),
    openedAt: current?.openedAt ?? closedAt,
    state: 'closed',
    closedAt,
    outcome,
    ...(reviewId === undefined ? {} : { reviewId }),
  };
}

/** One change of a pair's decision, kept as the pair's history. */
export function historyDocOf(event: EventOf<'org.pdx.partner.status.changed.v1'>): HistoryDoc {
  const { decision, previousStatus, cause, version } = event.data;
  return {
    id: `${decision.buyerId}~${decision.partnerId}~${version}`,
    buyerId: decision.buyerId,
    partnerId: decision.partnerId,
    version,
    decision,
    ...(previousStatus === undefined ? {} : { previousStatus }),
    cause,
  };
}
