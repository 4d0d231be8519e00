import type { KeyRevocation, PublicJwk } from '@pdx/contracts';
import { assertSelfOrOperator, changeErrorResponses, principalOf } from '@pdx/http';
import type { FastifyPluginAsync } from 'fastify';
import { checkJwkIsPublic, checkKeyPurposes, checkKeyUsable } from '../parties/party-checks.js';
import type { IntakeDeps } from '../parties/register-party.js';
import { addKey, revokeKey } from './party-keys.js';

const partyId = { $ref: 'urn:pdx:schema:common:party-id.v1' } as const;
const partyIdParam = { type: 'object', required: ['partyId'], properties: { partyId } } as const;
const keyParams = {
  type: 'object',
  required: ['partyId', 'kid'],
  properties: {
    partyId,
    kid: { $ref: 'urn:pdx:schema:common:key-id.v1' },
  },
} as const;

/**
 * Key rotation and revocation, by the party itself (a token signed with one of its
 * still-valid keys) or by an operator (e.g. after the party lost every key).
 */
export function keyRoutes(deps: IntakeDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { partyId: string }; Body: PublicJwk }>(
      '/v1/parties/:partyId/keys',
      {
        schema: {
          params: partyIdParam,
          body: { $ref: 'urn:pdx:schema:common:jwks.v1#/$defs/publicJwk' },
          response: {
            200: { $ref: 'urn:pdx:schema:common:key-state.v1' },
            201: { $ref: 'urn:pdx:schema:common:key-state.v1' },
            ...changeErrorResponses(
              'PDX_FORBIDDEN',
              'PDX_PRIVATE_KEY_MATERIAL',
              'PDX_KEY_PURPOSES_INVALID',
              'PDX_JWK_INVALID',
              'PDX_PARTY_NOT_FOUND',
              'PDX_KEY_CONFLICT',
            ),
          },
        },
        config: { access: 'authenticated' },
        preValidation: async (request) => {
          assertSelfOrOperator(principalOf(request), request.params.partyId);
          checkJwkIsPublic(request.body);
          checkKeyPurposes(request.body);
        },
      },
      async (request, reply) => {
        checkKeyUsable(request.body);
        const outcome = await addKey(deps, request.params.partyId, request.body, principalOf(request).id);
        return reply.code(outcome.kind === 'added' ? 201 : 200).send(outcome.key);
      },
    );

    app.post<{ Params: { partyId: string; kid: string }; Body: KeyRevocation }>(
      '/v1/parties/:partyId/keys/:kid/revocation',
      {
        schema: {
          params: keyParams,
          body: { $ref: 'urn:pdx:schema:api:key-revocation.v1' },
          response: {
            200: { $ref: 'urn:pdx:schema:common:key-state.v1' },
            ...changeErrorResponses(
              'PDX_FORBIDDEN',
              'PDX_PARTY_NOT_FOUND',
              'PDX_KEY_NOT_FOUND',
              'PDX_KEY_ALREADY_REVOKED',
            ),
          },
        },
        config: { access: 'authenticated' },
        preValidation: async (request) => {
          assertSelfOrOperator(principalOf(request), request.params.partyId);
        },
      },
      async (request) => {
        const outcome = await revokeKey(
          deps,
          request.params.partyId,
          request.params.kid,
          request.body,
          principalOf(request).id,
        );
        return outcome.key;
      },
    );
  };
}
