import { PdxError } from '@pdx/contracts';
import { verifyDeclaration } from '@pdx/crypto';
import { principalOf } from '@pdx/http';
import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import { type DeclarationDeps, submitDeclaration } from './submit-declaration.js';

export interface DeclarationRouteOptions {
  maxBytes: number;
  maxAheadDays: number;
  skewSeconds: number;
}

/**
 * POST /v1/declarations — a partner submits a Declaration of Security as a compact JWS
 * (Content-Type: application/jose). 202 once declaration.submitted.v1 is durably in the log,
 * with the verification report; a refusal is a problem+json that carries the report too.
 */
export function declarationRoutes(
  deps: DeclarationDeps,
  authenticate: preHandlerHookHandler,
  options: DeclarationRouteOptions,
): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(
      'application/jose',
      { parseAs: 'string', bodyLimit: options.maxBytes },
      (_req, body, done) => {
        done(null, body);
      },
    );
    app.post<{ Body: string }>(
      '/v1/declarations',
      {
        bodyLimit: options.maxBytes,
        // A 413 names the setting that raises this route's limit.
        config: { bodyLimitSetting: 'PDX_DECLARATION_MAX_BYTES' },
        schema: {
          response: {
            200: { $ref: 'urn:pdx:schema:api:declaration-receipt.v1' },
            202: { $ref: 'urn:pdx:schema:api:declaration-receipt.v1' },
            '4xx': { $ref: 'urn:pdx:schema:api:problem.v1' },
            '5xx': { $ref: 'urn:pdx:schema:api:problem.v1' },
          },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        if (typeof request.body !== 'string') {
          throw new PdxError(
            'PDX_MEDIA_TYPE_UNSUPPORTED',
            'send the compact JWS as Content-Type: application/jose',
          );
        }
        const principal = principalOf(request);
        if (principal.kind !== 'party')
          throw new PdxError('PDX_FORBIDDEN', 'declarations are submitted by the issuing party itself');
        const verified = await verifyDeclaration(
          request.body.trim(),
          { partyId: principal.id, keys: request.principalKeys ?? [] },
          deps.registry,
          {
            now: deps.clock.now(),
            maxAheadMs: options.maxAheadDays * 86_400_000,
            skewMs: options.skewSeconds * 1000,
          },
        );
        const outcome = await submitDeclaration(deps, verified);
        return reply
          .code(outcome.kind === 'accepted' ? 202 : 200)
          .header(
            'location',
            `/v1/declarations/${outcome.issuer}/${encodeURIComponent(outcome.declarationId)}`,
          )
          .send({
            declarationId: outcome.declarationId,
            issuer: outcome.issuer,
            state: outcome.kind === 'accepted' ? 'accepted' : 'unchanged',
            verification: outcome.report,
          });
      },
    );
  };
}
