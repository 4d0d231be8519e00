import {
  contentHash,
  createEvent,
  declarationKey,
  deterministicEventId,
  PdxError,
  type PdxEvent,
  type ReviewRecord,
  type ReviewRecordRequest,
  relationshipId,
} from '@pdx/contracts';
import type { Principal } from '@pdx/http';
import { isoNow } from '@pdx/runtime';
import { type Collection, commitChange, type OutboxRecord, publishOutbox } from '@pdx/store';
import type { DeclarationDeps } from '../declarations/submit-declaration.js';

/** A buyer's review of a partner, kept as recorded; the id is `<buyer>~<reviewId>`. */
export interface ReviewRecordDoc extends OutboxRecord<PdxEvent> {
  buyerId: string;
  partnerId: string;
  review: ReviewRecord;
}

export const reviewCollection = {
  name: 'reviews',
  indexes: [{ fields: ['pending'] }, { fields: ['buyerId', 'partnerId'] }],
} as const;

export interface ReviewDeps extends DeclarationDeps {
  reviews: Collection<ReviewRecordDoc>;
  /** Tolerated clock difference for reviewedAt. */
  skewMs: number;
}

/**
 * A buyer records a security review of a business partner (ISO 28001 4.5): only of a
 * partner with an accepted link, only of a declaration addressed to the buyer, never dated
 * in the future or before that declaration. Reviews are kept: the same reviewId again is
 * idempotent, with other content a conflict, never an overwrite.
 */
export async function recordReview(
  deps: ReviewDeps,
  caller: Principal,
  request: ReviewRecordRequest,
): Promise<{ kind: 'created' | 'unchanged'; review: ReviewRecord }> {
  if (caller.kind !== 'party') throw new PdxError('PDX_ROLE_REQUIRED', 'reviews are recorded by a buyer');
  const buyer = await deps.parties.get(caller.id);
  if (!buyer?.registration.roles.includes('buyer')) {
    throw new PdxError('PDX_ROLE_REQUIRED', `${caller.id} is not registered with the role buyer`);
  }
  const { partnerId, declarationId } = request;
  if ((await deps.relationships.get(relationshipId(caller.id, partnerId)))?.state !== 'accepted') {
    throw new PdxError(
      'PDX_PARTNER_NOT_LINKED',
      `${partnerId} has not accepted a business relationship with you`,
      {
        pointer: '/partnerId',
      },
    );
  }
  const declaration = await deps.declarations.get(declarationKey(partnerId, declarationId));
  if (!declaration || (declaration.recipients !== undefined && !declaration.recipients.includes(caller.id))) {
    throw new PdxError(
      'PDX_DECLARATION_NOT_FOUND',
      `${partnerId} has no declaration ${declarationId} addressed to you`,
      {
        pointer: '/declarationId',
      },
    );
  }
  const reviewedAt = Date.parse(request.reviewedAt);
  if (reviewedAt > deps.clock.now() + deps.skewMs) {
    throw new PdxError('PDX_REVIEW_DATE_INVALID', 'reviewedAt is in the future', { pointer: '/reviewedAt' });
  }
  const issuedAt = Date.parse(declaration.issuedAt ?? declaration.submittedAt);
  if (reviewedAt < issuedAt) {
    throw new PdxError(
      'PDX_REVIEW_DATE_INVALID',
      `reviewedAt is before the declaration was issued (${new Date(issuedAt).toISOString()})`,
      {
        pointer: '/reviewedAt',
      },
    );
  }
  const hash = contentHash(request);
  const id = `${caller.id}~${request.reviewId}`;
  for (;;) {
    const existing = await deps.reviews.get(id);
    if (existing) {
      if (existing.review.contentHash !== hash) {
        throw new PdxError(
          'PDX_REVIEW_CONFLICT',
          `you already recorded a different review ${request.reviewId}`,
          {
            pointer: '/reviewId',
          },
        );
      }
      await publishOutbox(deps, deps.reviews, existing);
      return { kind: 'unchanged', review: existing.review };
    }
    const review: ReviewRecord = {
      ...request,
      evidence: request.evidence ?? [],
      buyerId: caller.id,
      recordedAt: isoNow(deps.clock),
      contentHash: hash,
    };
    const event = createEvent(deps.registry, {
      type: 'org.pdx.review.recorded.v1',
      id: deterministicEventId('review.recorded.v1', caller.id, request.reviewId, hash),
      subject: partnerId,
      source: deps.source,
      time: deps.clock.now(),
      data: { review },
    });
    const after = { id, buyerId: caller.id, partnerId, review };
    if ((await commitChange(deps, deps.reviews, undefined, after, [event])) === 'committed') {
      return { kind: 'created', review };
    }
  }
}
