import { PdxError } from '@pdx/contracts';
import { errorResponses } from '@pdx/http';
import type { PartyDoc } from '@pdx/read-models';
import type { Clock } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import { toView } from './party-view.js';

/** GET /v1/parties/:partyId — a registered party and its keys, for any authenticated caller. */
export function getPartyRoute(parties: Collection<PartyDoc>, clock: Clock): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { partyId: string } }>(
      '/v1/parties/:partyId',
      {
        schema: {
          params: {
            type: 'object',
            required: ['partyId'],
            properties: { partyId: { $ref: 'urn:pdx:schema:common:party-id.v1' } },
          },
          response: {
            200: { $ref: 'urn:pdx:schema:api:party.v1' },
            ...errorResponses('PDX_PARTY_NOT_FOUND'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const doc = await parties.get(request.params.partyId);
        if (!doc) {
          throw new PdxError('PDX_PARTY_NOT_FOUND', `no party ${request.params.partyId}`, {
            pointer: '/partyId',
          });
        }
        return toView(doc, clock.now());
      },
    );
  };
}
