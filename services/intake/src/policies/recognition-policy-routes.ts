import { PdxError, type RecognitionPolicyUpdate } from '@pdx/contracts';
import { changeErrorResponses, errorResponses, principalOf } from '@pdx/http';
import type { FastifyPluginAsync } from 'fastify';
import { currentPolicy, type PolicyDeps, setPolicy } from './recognition-policy.js';

const view = { $ref: 'urn:pdx:schema:api:recognition-policy.v1' } as const;
const params = {
  type: 'object',
  required: ['buyerId'],
  properties: { buyerId: { $ref: 'urn:pdx:schema:common:party-id.v1' } },
} as const;

/** If-Match: "<version>" (an ETag as GET returns it), or absent. */
function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^"(\d{1,9})"$/.exec(header.trim());
  if (!match) {
    throw new PdxError('PDX_REQUEST_INVALID', 'If-Match must be the ETag of the policy, e.g. "3"', {
      pointer: '/headers/if-match',
    });
  }
  return Number(match[1]);
}

/** GET/PUT /v1/recognition-policies/{buyerId}: the buyer's recognition policy, versioned. */
export function recognitionPolicyRoutes(deps: PolicyDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { buyerId: string } }>(
      '/v1/recognition-policies/:buyerId',
      {
        schema: {
          params,
          response: {
            200: view,
            ...errorResponses('PDX_FORBIDDEN', 'PDX_ROLE_REQUIRED', 'PDX_PARTY_NOT_FOUND'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const policy = await currentPolicy(deps, principalOf(request), request.params.buyerId);
        return reply.header('etag', `"${policy.version}"`).send(policy);
      },
    );
    app.put<{ Params: { buyerId: string }; Body: RecognitionPolicyUpdate }>(
      '/v1/recognition-policies/:buyerId',
      {
        schema: {
          params,
          body: { $ref: 'urn:pdx:schema:api:recognition-policy-update.v1' },
          response: {
            200: view,
            ...changeErrorResponses(
              'PDX_FORBIDDEN',
              'PDX_ROLE_REQUIRED',
              'PDX_PARTY_NOT_FOUND',
              'PDX_SCHEME_UNKNOWN',
              'PDX_ISSUER_UNKNOWN',
              'PDX_PRECONDITION_FAILED',
            ),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const { policy } = await setPolicy(
          deps,
          principalOf(request),
          request.params.buyerId,
          request.body,
          expectedVersion(request.headers['if-match']),
        );
        return reply.header('etag', `"${policy.version}"`).send(policy);
      },
    );
  };
}
