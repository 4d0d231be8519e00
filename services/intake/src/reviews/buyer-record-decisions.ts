import {
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  type ErrorCode,
  type IncidentRecord,
  type IncidentRecordRequest,
  isoAt,
  PdxError,
  type PdxEvent,
  type ReviewRecord,
  type ReviewRecordRequest,
} from '@pdx/contracts';
import type { Decision, OutboxRecord, Unversioned } from '@pdx/store';
import type { IncidentRecordDoc } from './record-incident.js';
import type { ReviewRecordDoc } from './record-review.js';

/**
 * A buyer's record is kept once, never overwritten: new → recorded with its event; the same
 * id with the same content → unchanged (its event is published again if still pending); with
 * other content → a conflict. The value is the record as kept.
 */
function keptOnce<D extends OutboxRecord<PdxEvent>, V extends { contentHash: string }>(
  current: D | undefined,
  contentHash: string,
  viewOf: (doc: Unversioned<D>) => V,
  conflict: { code: ErrorCode; detail: string; pointer: string },
  create: () => { doc: Unversioned<D>; event: PdxEvent },
): Decision<D, PdxEvent, V> {
  if (current) {
    const kept = viewOf(current);
    if (kept.contentHash === contentHash) return { kind: 'unchanged', value: kept };
    return {
      kind: 'refused',
      error: new PdxError(conflict.code, conflict.detail, { pointer: conflict.pointer }),
    };
  }
  const { doc, event } = create();
  return { kind: 'change', next: doc, events: [event], value: viewOf(doc) };
}

export interface BuyerRecordInput<R> {
  request: R;
  /** The buyer, already checked to be linked to the partner the request names. */
  buyerId: string;
  /** The request's content hash: what tells a repeat from a conflict. */
  contentHash: string;
}

/** A buyer's review of a partner (ISO 28001 4.5), kept under `<buyer>~<reviewId>`. */
export function decideReview(
  current: ReviewRecordDoc | undefined,
  input: BuyerRecordInput<ReviewRecordRequest>,
  context: DecisionContext,
): Decision<ReviewRecordDoc, PdxEvent, ReviewRecord> {
  const { request, buyerId, contentHash } = input;
  return keptOnce<ReviewRecordDoc, ReviewRecord>(
    current,
    contentHash,
    (doc) => doc.review,
    {
      code: 'PDX_REVIEW_CONFLICT',
      detail: `you already recorded a different review ${request.reviewId}`,
      pointer: '/reviewId',
    },
    () => {
      const review: ReviewRecord = {
        ...request,
        evidence: request.evidence ?? [],
        buyerId,
        recordedAt: isoAt(context),
        contentHash,
      };
      const event = decidedEvent(context, {
        type: 'org.pdx.review.recorded.v1',
        id: deterministicEventId('review.recorded.v1', buyerId, request.reviewId, contentHash),
        subject: request.partnerId,
        data: { review },
      });
      const id = `${buyerId}~${request.reviewId}`;
      return { doc: { id, buyerId, partnerId: request.partnerId, review }, event };
    },
  );
}

/** A security incident a buyer recorded about a partner (ISO 28001 5.7), kept under `<buyer>~<incidentId>`. */
export function decideIncident(
  current: IncidentRecordDoc | undefined,
  input: BuyerRecordInput<IncidentRecordRequest>,
  context: DecisionContext,
): Decision<IncidentRecordDoc, PdxEvent, IncidentRecord> {
  const { request, buyerId, contentHash } = input;
  const { partnerId, incidentId } = request;
  return keptOnce<IncidentRecordDoc, IncidentRecord>(
    current,
    contentHash,
    (doc) => doc.incident,
    {
      code: 'PDX_INCIDENT_CONFLICT',
      detail: `you already recorded a different incident ${incidentId}`,
      pointer: '/incidentId',
    },
    () => {
      const incident: IncidentRecord = {
        ...request,
        reportedTo: request.reportedTo ?? [],
        evidence: request.evidence ?? [],
        buyerId,
        recordedAt: isoAt(context),
        contentHash,
      };
      const event = decidedEvent(context, {
        type: 'org.pdx.incident.recorded.v1',
        id: deterministicEventId('incident.recorded.v1', buyerId, incidentId, contentHash),
        subject: partnerId,
        data: { incident },
      });
      return { doc: { id: `${buyerId}~${incidentId}`, buyerId, partnerId, incident }, event };
    },
  );
}
