import {
  contentHash,
  decisionContext,
  declarationKey,
  PdxError,
  type PdxEvent,
  type ReviewRecord,
  type ReviewRecordRequest,
} from '@pdx/contracts';
import type { Principal } from '@pdx/http';
import { type Collection, handleChange, type OutboxRecord } from '@pdx/store';
import type { DeclarationDeps } from '../declarations/submit-declaration.js';
import { decideReview } from './buyer-record-decisions.js';
import { requireLinkedBuyer } from './buyer-records.js';

/** A buyer's review of a partner, kept as recorded; the id is `<buyer>~<reviewId>`. */
export interface ReviewRecordDoc extends OutboxRecord<PdxEvent> {
  buyerId: string;
  partnerId: string;
  review: ReviewRecord;
}

export const reviewRecords = {
  name: 'reviews',
  indexes: [{ fields: ['pending'] }, { fields: ['buyerId', 'partnerId'] }],
} as const;

export interface ReviewDeps extends DeclarationDeps {
  reviews: Collection<ReviewRecordDoc>;
  /** Tolerated clock difference for dates that must not be in the future. */
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
): Promise<{ kind: 'created' | 'unchanged'; view: ReviewRecord }> {
  const { partnerId, declarationId } = request;
  const buyerId = await requireLinkedBuyer(deps, caller, partnerId, 'reviews');
  const declaration = await deps.declarations.get(declarationKey(partnerId, declarationId));
  if (!declaration || (declaration.recipients !== undefined && !declaration.recipients.includes(buyerId))) {
    throw new PdxError(
      'PDX_DECLARATION_NOT_FOUND',
      `${partnerId} has no declaration ${declarationId} addressed to you`,
      { pointer: '/declarationId' },
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
      { pointer: '/reviewedAt' },
    );
  }
  const context = decisionContext(deps);
  const input = { request, buyerId, contentHash: contentHash(request) };
  const outcome = await handleChange(
    deps,
    deps.reviews,
    `${buyerId}~${request.reviewId}`,
    (current) => decideReview(current, input, context),
    { repeat: 'publish' },
  );
  return { kind: outcome.kind === 'changed' ? 'created' : 'unchanged', view: outcome.value! };
}
