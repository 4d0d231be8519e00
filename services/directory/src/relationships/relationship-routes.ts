import { principalOf } from '@pdx/http';
import type { LinkDoc } from '@pdx/read-models';
import type { Collection } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import { toRelationshipView } from './relationship-view.js';

/** GET /v1/relationships — the caller's links, as buyer and as partner. */
export function relationshipRoutes(docs: Collection<LinkDoc>): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/relationships',
      {
        schema: {
          response: {
            200: {
              type: 'object',
              required: ['relationships'],
              properties: {
                relationships: { type: 'array', items: { $ref: 'urn:pdx:schema:api:relationship.v1' } },
              },
            },
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const me = principalOf(request).id;
        const [asBuyer, asPartner] = await Promise.all([
          docs.find({ buyerId: me }, { sort: { field: 'id', order: 1 } }),
          docs.find({ partnerId: me }, { sort: { field: 'id', order: 1 } }),
        ]);
        return { relationships: [...asBuyer, ...asPartner].map(toRelationshipView) };
      },
    );
  };
}
