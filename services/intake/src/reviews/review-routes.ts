import type { IncidentRecordRequest, ReviewRecordRequest } from '@pdx/contracts';
import { changeErrorResponses, principalOf } from '@pdx/http';
import type { FastifyPluginAsync } from 'fastify';
import { type IncidentDeps, recordIncident } from './record-incident.js';
import { type ReviewDeps, recordReview } from './record-review.js';

const reviewView = { $ref: 'urn:pdx:schema:api:review-record-view.v1' } as const;
const incidentView = { $ref: 'urn:pdx:schema:api:incident-record-view.v1' } as const;

/**
 * POST /v1/reviews — a buyer records a security review of a business partner (ISO 28001 4.5).
 * POST /v1/incidents — a buyer records a security incident involving one (5.7).
 */
export function reviewRoutes(deps: ReviewDeps & IncidentDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: ReviewRecordRequest }>(
      '/v1/reviews',
      {
        schema: {
          body: { $ref: 'urn:pdx:schema:api:review-record.v1' },
          response: {
            200: reviewView,
            201: reviewView,
            ...changeErrorResponses(
              'PDX_ROLE_REQUIRED',
              'PDX_PARTNER_NOT_LINKED',
              'PDX_DECLARATION_NOT_FOUND',
              'PDX_REVIEW_DATE_INVALID',
              'PDX_REVIEW_CONFLICT',
            ),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const outcome = await recordReview(deps, principalOf(request), request.body);
        return reply
          .code(outcome.kind === 'created' ? 201 : 200)
          .header('location', `/v1/reviews/${encodeURIComponent(outcome.view.reviewId)}`)
          .send(outcome.view);
      },
    );
    app.post<{ Body: IncidentRecordRequest }>(
      '/v1/incidents',
      {
        schema: {
          body: { $ref: 'urn:pdx:schema:api:incident-record.v1' },
          response: {
            200: incidentView,
            201: incidentView,
            ...changeErrorResponses(
              'PDX_ROLE_REQUIRED',
              'PDX_PARTNER_NOT_LINKED',
              'PDX_INCIDENT_DATE_INVALID',
              'PDX_INCIDENT_CONFLICT',
            ),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const outcome = await recordIncident(deps, principalOf(request), request.body);
        return reply
          .code(outcome.kind === 'created' ? 201 : 200)
          .header('location', `/v1/incidents/${encodeURIComponent(outcome.view.incidentId)}`)
          .send(outcome.view);
      },
    );
  };
}
