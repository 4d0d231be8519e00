import type { RelationshipOffer } from '@pdx/contracts';
import { changeErrorResponses, principalOf } from '@pdx/http';
import type { FastifyPluginAsync } from 'fastify';
import { toRelationshipView } from './relationship-record.js';
import {
  acceptRelationship,
  endRelationship,
  offerRelationship,
  type RelationshipDeps,
} from './relationships.js';

const view = { $ref: 'urn:pdx:schema:api:relationship.v1' } as const;
const changeProblems = changeErrorResponses(
  'PDX_FORBIDDEN',
  'PDX_RELATIONSHIP_NOT_FOUND',
  'PDX_RELATIONSHIP_NOT_OFFERED',
);
const idParam = {
  type: 'object',
  required: ['relationshipId'],
  properties: { relationshipId: { $ref: 'urn:pdx:schema:common:relationship-id.v1' } },
} as const;

/** Business relationships and consent (as C-TPAT status-verification requests). */
export function relationshipRoutes(deps: RelationshipDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: RelationshipOffer }>(
      '/v1/relationships',
      {
        schema: {
          body: { $ref: 'urn:pdx:schema:api:relationship-offer.v1' },
          response: {
            200: view,
            201: view,
            ...changeErrorResponses(
              'PDX_FORBIDDEN',
              'PDX_ROLE_REQUIRED',
              'PDX_PARTY_NOT_FOUND',
              'PDX_REQUEST_INVALID',
            ),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const outcome = await offerRelationship(deps, principalOf(request), request.body);
        return reply
          .code(outcome.kind === 'changed' ? 201 : 200)
          .header('location', `/v1/relationships/${outcome.record.id}`)
          .send(toRelationshipView(outcome.record));
      },
    );
    app.post<{ Params: { relationshipId: string } }>(
      '/v1/relationships/:relationshipId/acceptance',
      {
        schema: { params: idParam, response: { 200: view, ...changeProblems } },
        config: { access: 'authenticated' },
      },
      async (request) =>
        toRelationshipView(
          (await acceptRelationship(deps, principalOf(request), request.params.relationshipId)).record,
        ),
    );
    app.post<{ Params: { relationshipId: string } }>(
      '/v1/relationships/:relationshipId/termination',
      {
        schema: { params: idParam, response: { 200: view, ...changeProblems } },
        config: { access: 'authenticated' },
      },
      async (request) =>
        toRelationshipView(
          (await endRelationship(deps, principalOf(request), request.params.relationshipId)).record,
        ),
    );
  };
}
