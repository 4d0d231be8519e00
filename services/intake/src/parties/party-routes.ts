import type { PartyRegistration } from '@pdx/contracts';
import { changeErrorResponses, principalOf } from '@pdx/http';
import type { Catalogues } from '@pdx/schemes';
import type { FastifyPluginAsync } from 'fastify';
import {
  checkIssuerSchemes,
  checkNoPrivateKeyMaterial,
  checkRegisteredKeyPurposes,
  checkRegistration,
} from './party-checks.js';
import { toView } from './party-record.js';
import { type IntakeDeps, registerParty } from './register-party.js';

/**
 * POST /v1/parties — an operator registers a party. Verification runs as named steps in a
 * fixed order, each with its own error code: authentication → operator → private key
 * material → key purposes → schema → country, identifiers, keys → idempotency/conflict. Nothing is
 * published unless all pass.
 */
export function registerPartyRoute(deps: IntakeDeps, catalogues: Catalogues): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: PartyRegistration }>(
      '/v1/parties',
      {
        schema: {
          body: { $ref: 'urn:pdx:schema:api:party-registration.v1' },
          response: {
            200: { $ref: 'urn:pdx:schema:api:party.v1' },
            201: { $ref: 'urn:pdx:schema:api:party.v1' },
            ...changeErrorResponses(
              'PDX_FORBIDDEN',
              'PDX_PRIVATE_KEY_MATERIAL',
              'PDX_KEY_PURPOSES_INVALID',
              'PDX_JWK_INVALID',
              'PDX_COUNTRY_UNKNOWN',
              'PDX_IDENTIFIER_INVALID',
              'PDX_SCHEME_UNKNOWN',
              'PDX_PARTY_CONFLICT',
            ),
          },
        },
        // Authentication and the operator first: nobody else learns anything about the body's validity.
        config: { access: 'operator' },
        preValidation: async (request) => {
          checkNoPrivateKeyMaterial(request.body);
          checkRegisteredKeyPurposes(request.body);
        },
      },
      async (request, reply) => {
        checkRegistration(request.body);
        checkIssuerSchemes(request.body, catalogues);
        const outcome = await registerParty(deps, request.body, principalOf(request).id);
        return reply
          .code(outcome.kind === 'created' ? 201 : 200)
          .header('location', `/v1/parties/${encodeURIComponent(outcome.record.id)}`)
          .send(toView(outcome.record, deps.clock.now()));
      },
    );
  };
}
