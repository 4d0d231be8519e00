import type { ReviewRecordRequest } from '@pdx/contracts';
import { principalOf, problemResponses } from '@pdx/http';
import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import { type ReviewDeps, recordReview } from './record-review.js';

const view = { $ref: 'urn:pdx:schema:api:review-record-view.v1' } as const;

/** POST /v1/reviews — a buyer records a security review of a business partner (ISO 28001 4.5). */
export function reviewRoutes(deps: ReviewDeps, authenticate: preHandlerHookHandler): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: ReviewRecordRequest }>(
      '/v1/reviews',
      {
        schema: {
          body: { $ref: 'urn:pdx:schema:api:review-record.v1' },
          response: { 200: view, 201: view, ...problemResponses },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const outcome = await recordReview(deps, principalOf(request), request.body);
        return reply
          .code(outcome.kind === 'created' ? 201 : 200)
          .header('location', `/v1/reviews/${encodeURIComponent(outcome.review.reviewId)}`)
          .send(outcome.review);
      },
    );
  };
}
